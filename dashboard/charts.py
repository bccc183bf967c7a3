"""The dashboard's charts, drawn on the server as SVG: each one a title, a summary for screen
readers, its shapes, and the data table behind it (shown under the chart, and its CSV).

Horizontal bars put each label on its own line above its bar, so that a chart stays readable
on a 360 px screen; columns show one day (or one day before the deadline) each. One colour,
dark enough on white for text (``static/css/dashboard.css``), and every value written out:
nothing is told by colour alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.models import Source, Stage
from core.countries import country_name
from missions.eligibility import RULE_NAMES

WIDTH = 400
BAR_ROW = 38  # a label line and a bar
BAR_TOP = 18  # the bar's top within its row
BAR_HEIGHT = 14
VALUE_ROOM = 96  # right of the longest bar, for its value: at least that, more for long values
VALUE_CHAR = 7  # room for a character of a value (12px), a wide sans-serif's
COLUMNS_HEIGHT = 170
COLUMNS_TOP, COLUMNS_BOTTOM = 18, 26  # room for the top value and the bottom dates

STEP_NAMES = {
    ("view", ""): _("Consultations"),
    ("check", ""): _("Vérifications d'éligibilité"),
    ("eligible", ""): _("Éligibles"),
    ("draft", ""): _("Brouillons commencés"),
    ("submitted", ""): _("Candidatures envoyées"),
    ("reached", Stage.SHORTLISTED): _("Présélectionnées"),
    ("reached", Stage.INTERVIEW): _("Entretiens"),
    ("reached", Stage.SELECTED): _("Retenues"),
}


@dataclass
class Bar:
    label: str
    text: str
    y: int
    width: int
    label_y: int = 0
    value_x: int = 0


@dataclass
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Chart:
    name: str  # its CSV: ?csv=<name>; its key in the templates' ``charts``, hence no hyphen
    title: str
    headers: list[str]
    rows: list[list[Any]]
    summary: str = ""
    kind: str = "bars"  # "bars", "columns" or "table" (no drawing)
    height: int = 0
    bars: list[Bar] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    axis: dict[str, Any] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)  # a table's: where each row's first cell leads

    @property
    def linked(self) -> list[tuple[str, list[Any]]]:
        return list(zip(self.links, self.rows, strict=True))


def fmt(value: float) -> str:
    return str(number_format(value, force_grouping=True))


def bars(name: str, title: Any, headers: list[Any], items: list[tuple[str, int, str]]) -> Chart:
    """A horizontal bar per (label, value, text written after the bar)."""
    top = max((value for _label, value, _text in items), default=0)
    room = max([VALUE_ROOM, *(len(text) * VALUE_CHAR + 6 for _label, _value, text in items)])
    chart = Chart(name, str(title), [str(h) for h in headers], [], height=BAR_ROW * len(items) + 4)
    for i, (label, value, text) in enumerate(items):
        width = round((WIDTH - room) * value / top) if top else 0
        y = i * BAR_ROW + BAR_TOP
        chart.bars.append(Bar(label, text, y, width, label_y=y - 5, value_x=width + 6))
    if items:
        first = max(items, key=lambda item: item[1])
        chart.summary = gettext("Le plus élevé : %(label)s, %(value)s.") % {
            "label": first[0],
            "value": fmt(first[1]),
        }
    else:
        chart.summary = gettext("Aucune donnée sur la période.")
    return chart


def columns(
    name: str, title: Any, headers: list[Any], points: list[tuple[str, int]], marker: int | None
) -> Chart:
    """A column per (label, value), ``marker`` the index of a column to point at (the deadline)."""
    chart = Chart(name, str(title), [str(h) for h in headers], [], kind="columns")
    chart.height = COLUMNS_HEIGHT
    top = max((value for _label, value in points), default=0)
    room = COLUMNS_HEIGHT - COLUMNS_TOP - COLUMNS_BOTTOM
    step = WIDTH / max(len(points), 1)
    for i, (label, value) in enumerate(points):
        height = room * value / top if top else 0
        x, y = round(i * step + step * 0.1, 2), round(COLUMNS_TOP + room - height, 2)
        chart.columns.append(Column(label, value, x, y, round(step * 0.8, 2), round(height, 2)))
    chart.axis = {
        "top": fmt(top),
        "base": COLUMNS_TOP + room,
        "first": points[0][0] if points else "",
        "last": points[-1][0] if points else "",
        "text_y": COLUMNS_HEIGHT - 8,
    }
    if marker is not None and 0 <= marker < len(points):
        chart.axis["marker_x"] = round(marker * step + step / 2, 2)
    total = sum(value for _label, value in points)
    chart.summary = ngettext(
        "%(total)s au total ; au plus %(top)s en une journée.",
        "%(total)s au total ; au plus %(top)s en une journée.",
        total,
    ) % {"total": fmt(total), "top": fmt(top)}
    return chart


def percent(part: int, whole: int) -> str:
    return f"{number_format(round(100 * part / whole, 1))} %" if whole else "—"


def funnel_chart(funnel: list[tuple[str, str, int]]) -> Chart:
    items, rows = [], []
    previous = None
    for event, detail, value in funnel:
        label = str(STEP_NAMES[event, detail])
        step = percent(value, previous) if previous is not None else ""
        items.append((label, value, fmt(value) + (f" ({step})" if step else "")))
        rows.append([label, value, step])
        previous = value
    chart = bars("funnel", _("Du regard à la sélection"), [
        _("Étape"), _("Nombre"), _("Par rapport à l'étape précédente")], items)  # fmt: skip
    chart.rows = rows
    return chart


def ranking_chart(
    name: str, title: Any, header: Any, ranked: list[tuple[str, int]], names: dict[str, str]
) -> Chart:
    total = sum(n for _detail, n in ranked)
    items = [(names.get(d, d) if d else gettext("Autres"), n, f"{fmt(n)} ({percent(n, total)})")
             for d, n in ranked]  # fmt: skip
    chart = bars(name, title, [header, _("Nombre"), _("Part")], items)
    chart.rows = [[label, n, percent(n, total)] for label, n, _text in items]
    return chart


def countries(ranked: list[tuple[str, int]]) -> dict[str, str]:
    language = get_language()
    return {code: country_name(code, language) or code for code, _n in ranked}


def day_label(iso: str) -> str:
    return str(date_format(dt.date.fromisoformat(iso), "SHORT_DATE_FORMAT"))


def per_day_chart(per_day: list[tuple[str, int]], deadline: str) -> Chart:
    days = [iso for iso, _n in per_day]
    marker = days.index(deadline) if deadline in days else None
    chart = columns(
        "per_day",
        _("Candidatures envoyées par jour"),
        [_("Jour"), _("Candidatures")],
        [(day_label(iso), n) for iso, n in per_day],
        marker,
    )
    chart.rows = [[iso, n] for iso, n in per_day]
    if marker is not None:
        chart.summary += " " + gettext("La ligne en tirets marque la date limite de la mission.")
    return chart


def before_deadline_chart(before: list[tuple[int, int]]) -> Chart:
    ordered = [(gettext("Plus tôt"), n) for days, n in before if days < 0]
    ordered += [
        (gettext("J-%(days)s") % {"days": days}, n) for days, n in reversed(before) if days >= 0
    ]
    chart = columns(
        "before_deadline",
        _("Candidatures envoyées selon les jours restant avant la date limite"),
        [_("Jours avant la date limite"), _("Candidatures")],
        ordered,
        None,
    )
    chart.rows = [[label, n] for label, n in ordered]
    return chart


def stage_times_chart(times: list[tuple[str, int, int | None, int | None]]) -> Chart:
    items, rows = [], []
    for stage, total, median, p90 in times:
        label = str(Stage(stage).label)
        text = (
            gettext("médiane %(median)s j · 90 %% : %(p90)s j") % {"median": median, "p90": p90}
            if total else "—"
        )  # fmt: skip
        items.append((label, median or 0, text))
        rows.append([label, total, median, p90])
    chart = bars("stage_times", _("Temps passé dans chaque étape (jours)"),
                 [_("Étape"), _("Sorties de l'étape"), _("Médiane (jours)"),
                  _("90e centile (jours)")], items)  # fmt: skip
    chart.rows = rows
    return chart


def refusals_table(rows: list[tuple[str, str, str, int, int]]) -> Chart:
    headers = [_("Mission"), _("Règle refusant le plus"), _("Refus par cette règle"),
               _("Refus en tout")]  # fmt: skip
    chart = Chart("refusals_by_mission", str(_("Missions refusant le plus de candidat·es")),
                  [str(h) for h in headers], [], kind="table")  # fmt: skip
    chart.rows = [
        [f"{reference} – {title}", str(RULE_NAMES.get(rule, rule)), n, total]
        for reference, title, rule, n, total in rows
    ]
    return chart


def missions_table(rows: list[dict[str, Any]]) -> Chart:
    events = ("view", "check", "eligible", "draft", "submitted")
    headers = [_("Mission"), *(STEP_NAMES[event, ""] for event in events)]
    chart = Chart("missions", str(_("Missions ayant reçu le plus de candidatures")),
                  [str(h) for h in headers], [], kind="table")  # fmt: skip
    chart.rows = [
        [f"{row['reference']} – {row['title']}", *(row[event] for event in events)] for row in rows
    ]
    return chart


def waiting_table(rows: list[dict[str, Any]], link: Callable[[dict[str, Any]], str]) -> Chart:
    headers = [_("Candidature"), _("Mission"), _("Étape"), _("Depuis le"), _("Jours")]
    chart = Chart("waiting", str(_("Candidatures qui attendent depuis le plus longtemps")),
                  [str(h) for h in headers], [], kind="table")  # fmt: skip
    for row in rows:
        since = dt.datetime.fromisoformat(row["stage_since"])
        chart.rows.append([
            row["reference"], row["mission__reference"], str(Stage(row["stage"]).label),
            date_format(timezone.localtime(since), "SHORT_DATE_FORMAT"), row["days"],
        ])  # fmt: skip
        chart.links.append(link(row))
    return chart


def dashboard_charts(
    figures: dict[str, Any], link: Callable[[dict[str, Any]], str]
) -> dict[str, Chart]:
    """Every chart and table of the page, by name, in the active language; ``link`` gives
    the address of a waiting application (the admin's page, or the coordinator's shortlist)."""
    rules = {code: str(name) for code, name in RULE_NAMES.items()}
    sources = {str(value): capfirst(str(label)) for value, label in Source.choices}
    charts = [
        funnel_chart(figures["funnel"]),
        ranking_chart(
            "refusals", _("Refus d'éligibilité par règle"), _("Règle"), figures["refusals"], rules
        ),
        per_day_chart(figures["per_day"], figures["deadline"]),
        before_deadline_chart(figures["before_deadline"]),
        ranking_chart(
            "residence",
            _("Pays de résidence des candidat·es"),
            _("Pays"),
            figures["residence"],
            countries(figures["residence"]),
        ),
        ranking_chart(
            "nationality",
            _("Nationalités des candidat·es"),
            _("Nationalité"),
            figures["nationality"],
            countries(figures["nationality"]),
        ),
        ranking_chart(
            "sources",
            _("Provenance des candidatures"),
            _("Provenance"),
            figures["sources"],
            sources,
        ),
        stage_times_chart(figures["stage_times"]),
        refusals_table(figures["refusals_by_mission"]),
        missions_table(figures["missions"]),
        waiting_table(figures["waiting"], link),
    ]
    return {chart.name: chart for chart in charts}
