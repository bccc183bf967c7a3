"""The public list's mission cards, built and written out in Python from plain rows.

A card is a handful of strings. Building them here, from ``values()`` rows rather than model
instances, with each date and duration worked out once per page (and each country name once
per language: ``core.countries``), and writing the 20 cards' HTML with one format string
(``CARD_HTML``) rather than a template loop, costs a fifth of what the template spent on the
same cards.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any, TypedDict
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from core.countries import country_name
from core.dates import long_date
from missions.languages import SOURCE_LANGUAGE
from missions.selectors import links_table
from missions.templatetags.missions import time_left

# What reverse() leaves unquoted in a path argument (django.urls.resolvers).
REVERSE_SAFE = RFC3986_SUBDELIMS + "/~:@"
# Columns a card needs, read by the catalogue's query (``closed_rank`` is its annotation).
CARD_FIELDS = (
    "id",
    "reference",
    "title",
    "city",
    "host_country",
    "duration_months",
    "deadline_date",
    "deadline_at",
    "closed_rank",
)


def card_fields() -> tuple[str, ...]:
    """``CARD_FIELDS``, and on a page in another language than French, the title's column in
    that language: an empty one means the card shows the French title (missions/languages.py)."""
    language = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    if language == SOURCE_LANGUAGE:
        return CARD_FIELDS
    return (*CARD_FIELDS, f"title_{language}")


# One card, as templates/missions/mission_list.html showed it: a heading with the link, the
# facts, then the deadline line (open: the date and the time left; closed: the date).
CARD_HTML = """<article class="card mission-card mb-3">
  <div class="card-body">
    <h3 class="card-title h4"{title_lang}><a href="{url}">{title}</a></h3>
    <p class="card-subtitle text-body-secondary mb-2">{facts}</p>
    <p class="mb-0 {deadline_class}"><strong>{label}</strong> {deadline_text}</p>
  </div>
</article>
"""


class MissionCard(TypedDict):
    url: str
    title: str
    title_in_french: bool  # on a page in English, the title has no translation
    facts: str  # « 3S1284 · Dakar, Sénégal · 12 mois · VSI »
    is_open: bool
    deadline: str  # « 1er avril 2027 »
    time_left: str  # « plus que 3 jours »


def mission_cards(rows: Iterable[Mapping[str, Any]], now: dt.datetime) -> list[MissionCard]:
    """One card per row of ``card_fields()``, in the rows' order."""
    rows = list(rows)
    programmes = programme_names([row["id"] for row in rows])
    language = get_language()
    own_title = f"title_{language}"  # in the rows on a page in English (``card_fields``)
    durations: dict[int, str] = {}
    dates: dict[dt.date, str] = {}
    detail_url = detail_url_maker()
    cards = []
    for row in rows:
        code, months, deadline = row["host_country"], row["duration_months"], row["deadline_date"]
        if months not in durations:
            durations[months] = ngettext("%(months)s mois", "%(months)s mois", months) % {
                "months": months
            }
        if deadline not in dates:
            dates[deadline] = long_date(deadline)
        place = f"{row['city']}, {country_name(code, language)}"
        facts = [row["reference"], place, durations[months]]
        is_open = row["closed_rank"] == 0
        cards.append(
            MissionCard(
                url=detail_url(row["reference"]),
                title=row["title"],
                title_in_french=own_title in row and not row[own_title],
                facts=" · ".join(facts + programmes.get(row["id"], [])),
                is_open=is_open,
                deadline=dates[deadline],
                time_left=time_left(row["deadline_at"], now) if is_open else "",
            )
        )
    return cards


def programme_names(mission_ids: list[int]) -> dict[int, list[str]]:
    """Each mission's programme names, by name, from the kept table of the public missions'
    links (``missions.selectors.mission_links``): a page of cards costs no query for them."""
    table = links_table(mission_ids)
    return {
        pk: [programme.name for programme in table[pk].programmes]
        for pk in mission_ids
        if pk in table
    }


def cards_html(cards: list[MissionCard]) -> SafeString:
    """The cards' HTML, in order, every value escaped (``html.escape``, as format_html escapes,
    without Django's checks for lazy and safe strings: the values here are plain strings)."""
    open_label, closed_label = (
        escape(gettext("Date limite :")),
        escape(gettext("Candidatures closes")),
    )
    closed_deadline = escape(gettext("date limite :"))
    parts = []
    for card in cards:
        deadline = escape(card["deadline"])
        if card["is_open"]:
            deadline_class, label = "deadline-open", open_label
            deadline_text = f"{deadline} ({escape(card['time_left'])})"
        else:
            deadline_class, label = "deadline-closed", closed_label
            deadline_text = f"({closed_deadline} {deadline})"
        parts.append(
            CARD_HTML.format(
                url=escape(card["url"]),
                title=escape(card["title"]),
                title_lang=' lang="fr"' if card["title_in_french"] else "",
                facts=escape(card["facts"]),
                deadline_class=deadline_class,
                label=label,
                deadline_text=deadline_text,
            )
        )
    return SafeString("".join(parts))


def detail_url_maker() -> Callable[[str], str]:
    """A mission page's address from its reference, as ``reverse`` gives it in the active
    language: reversed once, for a placeholder, rather than once a card (about 100 calls)."""
    placeholder = "REFERENCE"
    url = reverse("missions:detail", kwargs={"reference": placeholder})
    prefix, _, suffix = url.rpartition(placeholder)
    return lambda reference: f"{prefix}{quote(reference, safe=REVERSE_SAFE)}{suffix}"
