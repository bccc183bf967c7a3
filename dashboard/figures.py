"""The dashboard's figures: aggregate queries over the counts of ``missions.models.stats``, the
applications still waiting, the review requests and the outbox, for a period and a scope.

Everything here is plain data (codes, numbers, ISO dates), cached ``DASHBOARD_CACHE_SECONDS``
per scope and filters; labels are given on display (``dashboard/charts.py``), in the reader's
language. Conversions compare events of the same period, not a cohort: a week's selections
may come from applications sent a month before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, QuerySet, Sum
from django.utils import timezone, translation

from applications.models import SHORTLIST_STAGES, WAITING_STAGES, Application, Stage
from missions.models import Event, Mission, ReviewRequest, StageTime, Tally
from notifications.selectors import outbox_health

# The funnel's steps: (event, detail) of Tally, in order.
FUNNEL = (
    (Event.VIEW, ""),
    (Event.CHECK, ""),
    (Event.ELIGIBLE, ""),
    (Event.DRAFT, ""),
    (Event.SUBMITTED, ""),
    (Event.REACHED, Stage.SHORTLISTED),
    (Event.REACHED, Stage.INTERVIEW),
    (Event.REACHED, Stage.SELECTED),
)
# Stages an application waits in for staff, and those whose time is measured.
WAITING = tuple(Stage(stage) for stage in WAITING_STAGES)
TIMED = (Stage.DRAFT, *WAITING)
DEADLINE_DAYS = 30  # submissions by days before the deadline: 0 to 30, then "more"
TOP = 12  # rows of a ranking (countries, missions) before "others"
LONGEST = 10  # applications waiting longest


@dataclass(frozen=True)
class Filters:
    """A period (both days included, in the site's time zone) and what to narrow it to."""

    start: dt.date
    end: dt.date
    programme: int | None = None
    country: str = ""
    mission: int | None = None


def scoped(missions: QuerySet[Mission] | None, filters: Filters) -> list[int] | None:
    """The ids of the missions the figures are about; None for every mission (no restriction
    at all). A list, read first: the counts' queries then use their mission index."""
    if missions is None and not (filters.programme or filters.country or filters.mission):
        return None
    missions = Mission.objects.all() if missions is None else missions
    if filters.programme:
        missions = missions.filter(programmes=filters.programme)
    if filters.country:
        missions = missions.filter(host_country=filters.country)
    if filters.mission:
        missions = missions.filter(pk=filters.mission)
    return list(missions.order_by().values_list("pk", flat=True))


def dashboard_figures(
    missions: QuerySet[Mission] | None, filters: Filters, *, staff: bool, scope_key: str
) -> dict[str, Any]:
    """The figures for staff (every mission, or ``missions``) or a coordinator (``staff``
    False: their missions, the shortlist's applications only, no outbox), cached a while."""
    # The missions' titles are in the reader's language (missions/languages.py).
    language = translation.get_language()
    raw = json.dumps([scope_key, staff, language, asdict(filters)], default=str, sort_keys=True)
    key = "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    figures = compute(missions, filters, staff=staff, now=timezone.now())
    cache.set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
    return figures


def compute(
    missions: QuerySet[Mission] | None, filters: Filters, *, staff: bool, now: dt.datetime
) -> dict[str, Any]:
    """The figures, uncached: ``missions`` None for every mission, narrowed by ``filters``."""
    ids = scoped(missions, filters)
    tallies = in_scope(Tally.objects.filter(day__gte=filters.start, day__lte=filters.end), ids)
    totals: dict[tuple[str, str], int] = {
        (event, detail): n
        for event, detail, n in tallies.order_by()
        .values_list("event", "detail")
        .annotate(n=Sum("count"))
    }
    single = Mission.objects.filter(pk__in=ids).first() if filters.mission and ids else None
    refusals, mission_funnels = by_mission(tallies)
    return {
        "funnel": [
            (str(event), str(detail), totals.get((event, detail), 0)) for event, detail in FUNNEL
        ],
        "refusals": ranked(totals, Event.REFUSED, limit=None),
        "refusals_by_mission": refusals,
        "review_requests": in_scope(
            ReviewRequest.objects.filter(
                created_at__date__gte=filters.start, created_at__date__lte=filters.end
            ),
            ids,
        ).count(),
        "per_day": per_day(tallies, filters),
        "before_deadline": before_deadline(tallies),
        "deadline": single.deadline_date.isoformat() if single and single.deadline_date else "",
        "residence": ranked(totals, Event.RESIDENCE),
        "nationality": ranked(totals, Event.NATIONALITY),
        "sources": ranked(totals, Event.SOURCE, limit=None),
        # Refusals and withdrawals one by one are for staff: a coordinator sees the shortlist.
        "outcomes": [
            (str(stage), totals.get((Event.REACHED, stage), 0))
            for stage in (Stage.REJECTED, Stage.WITHDRAWN)
        ]
        if staff
        else [],
        "stage_times": stage_times(
            in_scope(StageTime.objects.filter(day__gte=filters.start, day__lte=filters.end), ids)
        ),
        "waiting": waiting(ids, staff=staff, now=now),
        "missions": mission_funnels,
        "outbox": outbox(filters) if staff else None,
    }


def in_scope(queryset: QuerySet[Any], ids: list[int] | None) -> QuerySet[Any]:
    return queryset if ids is None else queryset.filter(mission_id__in=ids)


def ranked(
    totals: dict[tuple[str, str], int], event: str, *, limit: int | None = TOP
) -> list[tuple[str, int]]:
    """The details of an event, most frequent first; past ``limit``, one "" row for the rest."""
    rows = sorted(
        ((detail, n) for (e, detail), n in totals.items() if e == event and n),
        key=lambda row: (-row[1], row[0]),
    )
    if limit is None or len(rows) <= limit:
        return rows
    return [*rows[:limit], ("", sum(n for _detail, n in rows[limit:]))]


def per_day(tallies: QuerySet[Tally], filters: Filters) -> list[tuple[str, int]]:
    """Applications sent each day of the period, days without any included."""
    sent = dict(
        tallies.filter(event=Event.SUBMITTED).order_by().values_list("day").annotate(n=Sum("count"))
    )
    days = (filters.end - filters.start).days + 1
    return [
        (
            (filters.start + dt.timedelta(days=i)).isoformat(),
            sent.get(filters.start + dt.timedelta(days=i), 0),
        )
        for i in range(days)
    ]


def before_deadline(tallies: QuerySet[Tally]) -> list[tuple[int, int]]:
    """Applications sent 0, 1, … ``DEADLINE_DAYS`` days before their mission's deadline, then
    earlier (-1): the last days' rush. The counts' days are the site's and the deadline is
    the mission's: the last hours of a deadline west of Paris fall on the next Paris day,
    one day "after" the deadline, and count on the deadline's day (nothing is sent later)."""
    rows = (
        tallies.filter(event=Event.SUBMITTED, mission__deadline_date__isnull=False)
        .annotate(before=F("mission__deadline_date") - F("day"))
        .order_by()
        .values_list("before")
        .annotate(n=Sum("count"))
    )
    counts: dict[int, int] = defaultdict(int)
    for before, n in rows:
        days = before.days if isinstance(before, dt.timedelta) else int(before)
        counts[max(days, 0) if days <= DEADLINE_DAYS else -1] += n
    return [(days, counts.get(days, 0)) for days in (*range(DEADLINE_DAYS + 1), -1)]


def stage_times(times: QuerySet[StageTime]) -> list[tuple[str, int, int | None, int | None]]:
    """For each stage: how many left it in the period, after how many days at the median and
    at the 90th percentile (whole days, the nearest rank)."""
    histogram: dict[str, list[tuple[int, int]]] = defaultdict(list)
    rows = times.order_by().values_list("stage", "days").annotate(n=Sum("count"))
    for stage, days, n in rows.order_by("stage", "days"):
        histogram[stage].append((days, n))
    result = []
    for stage in TIMED:
        counts = histogram.get(stage, [])
        total = sum(n for _days, n in counts)
        result.append(
            (str(stage), total, percentile(counts, total, 0.5), percentile(counts, total, 0.9))
        )
    return result


def percentile(counts: Iterable[tuple[int, int]], total: int, share: float) -> int | None:
    """The nearest-rank percentile of a histogram of (value, how many), values ascending."""
    if not total:
        return None
    rank = max(1, -(-int(share * total * 1000) // 1000))  # ceil(share × total), exact
    seen = 0
    for value, n in counts:
        seen += n
        if seen >= rank:
            return value
    return None


def waiting(ids: list[int] | None, *, staff: bool, now: dt.datetime) -> list[dict[str, Any]]:
    """The applications waiting longest in their stage (for a coordinator, the shortlist's)."""
    stages = WAITING if staff else [s for s in SHORTLIST_STAGES if s in WAITING]
    applications = Application.objects.filter(stage__in=stages, stage_since__isnull=False)
    if ids is not None:
        applications = applications.filter(mission_id__in=ids)
    rows = applications.order_by("stage_since").values(
        "pk", "reference", "stage", "stage_since", "mission__reference"
    )[:LONGEST]
    result = []
    for row in rows:
        since = cast(dt.datetime, row["stage_since"])  # never null here (filtered above)
        result.append({**row, "stage_since": since.isoformat(), "days": (now - since).days})
    return result


# The funnel's first steps, per mission in the table of missions.
MISSION_EVENTS = ("view", "check", "eligible", "draft", "submitted")


def by_mission(
    tallies: QuerySet[Tally],
) -> tuple[list[tuple[str, str, str, int, int]], list[dict[str, Any]]]:
    """From one query: the missions refusing most, as (reference, title, the rule refusing
    most, its count, every refusal of the mission; a candidate refused by two rules counts
    under each), and the missions with the most applications sent, with their funnel."""
    refused: dict[int, dict[str, int]] = defaultdict(dict)
    funnels: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        tallies.filter(event__in=(*MISSION_EVENTS, Event.REFUSED))
        .order_by()
        .values_list("mission_id", "event", "detail")
        .annotate(n=Sum("count"))
    )
    for mission, event, detail, n in rows:
        if event == Event.REFUSED:
            refused[mission][detail] = n
        else:
            funnels[mission][event] = n
    top_refused = sorted(refused, key=lambda m: (-sum(refused[m].values()), m))[:TOP]
    busiest = sorted(
        funnels, key=lambda m: (-funnels[m].get("submitted", 0), -funnels[m].get("view", 0), m)
    )[:TOP]
    names = dict(
        (pk, (reference, title))
        for pk, reference, title in Mission.objects.filter(
            pk__in={*top_refused, *busiest}
        ).values_list("pk", "reference", "title")
    )
    refusals = []
    for mission in top_refused:
        rule, n = max(refused[mission].items(), key=lambda item: (item[1], item[0]))
        refusals.append((*names[mission], rule, n, sum(refused[mission].values())))
    missions = [
        {"reference": names[m][0], "title": names[m][1],
         **{event: funnels[m].get(event, 0) for event in MISSION_EVENTS}}
        for m in busiest
    ]  # fmt: skip
    return refusals, missions


def outbox(filters: Filters) -> dict[str, Any]:
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(filters.start, dt.time(), zone)
    end = dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time(), zone)
    health = outbox_health(start=start, end=end)
    oldest = health["oldest_pending"]
    return {**health, "oldest_pending": oldest.isoformat() if oldest else ""}
