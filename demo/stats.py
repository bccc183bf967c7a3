"""The dashboard's past for the demo: about ninety days of daily counts (``missions.Tally``) and
times in stage (``missions.StageTime``) for the demo's published and closed missions, made up
by a seeded generator, so that every chart of the dashboard shows something the day the demo
is loaded.

The sample applications are told through the services, which count what they do. The days
before today are this module's: each run deletes the missions' counts of those days and writes
them again, the same for the same day, so running the demo twice never doubles them and
today's counts (the services') stay. The stories' submissions, dated weeks back, are counted
on those days by the services and so are replaced by the made-up past on the first run.

``stage_path`` (where an application goes once sent) also moves the applications of
``seed_bench --spread``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from applications.models import Source, Stage
from missions.models import Event, Mission, StageTime, Tally
from missions.tallies import local_day

T = TypeVar("T")

HISTORY_DAYS = 90
SEED = 1284
# How often each eligibility rule refuses a check (host country's nationals and residents most).
REFUSAL_RULES = {
    "host_nationality": 30,
    "host_residence": 22,
    "knockout_answer": 12,
    "under_age": 9,
    "cumulative_cap": 8,
    "professional_activity": 7,
    "over_age": 5,
    "mission_residence": 4,
    "nationality_not_admitted": 3,
}
# Where candidates live and the nationalities they hold, France first.
RESIDENCES = {
    "FR": 40, "BE": 9, "SN": 8, "CM": 7, "CI": 6, "MA": 6, "CA": 5, "CH": 4, "TG": 4,
    "BJ": 3, "MG": 3, "TN": 3, "LU": 1, "HT": 1,
}  # fmt: skip
NATIONALITIES = {
    "FR": 38, "BE": 8, "SN": 10, "CM": 8, "CI": 7, "MA": 7, "CA": 4, "CH": 3, "TG": 5,
    "BJ": 4, "MG": 3, "TN": 3, "HT": 2, "CD": 2,
}  # fmt: skip
SOURCES = {
    str(Source.CATALOGUE): 55,
    str(Source.EXTERNAL): 19,
    str(Source.ALERT): 18,
    str(Source.INVITATION): 8,
}
# Where an application goes from each stage once sent: (next stage or None to stay, weight,
# fewest and most whole days before the move).
MOVES: dict[str, list[tuple[str | None, int, int, int]]] = {
    Stage.SUBMITTED: [
        (Stage.IN_REVIEW, 80, 0, 10),
        (Stage.REJECTED, 8, 0, 15),
        (Stage.WITHDRAWN, 3, 1, 20),
        (None, 9, 0, 0),
    ],
    Stage.IN_REVIEW: [
        (Stage.SHORTLISTED, 38, 2, 25),
        (Stage.REJECTED, 45, 3, 30),
        (Stage.WITHDRAWN, 4, 1, 20),
        (None, 13, 0, 0),
    ],
    Stage.SHORTLISTED: [
        (Stage.INTERVIEW, 60, 3, 20),
        (Stage.REJECTED, 25, 2, 20),
        (Stage.WITHDRAWN, 5, 1, 15),
        (None, 10, 0, 0),
    ],
    Stage.INTERVIEW: [
        (Stage.SELECTED, 40, 1, 14),
        (Stage.REJECTED, 50, 2, 14),
        (Stage.WITHDRAWN, 4, 1, 10),
        (None, 6, 0, 0),
    ],
}
# Whole days between the draft's first save and its sending, the quick ones most.
DRAFT_DAYS = {0: 30, 1: 22, 2: 14, 3: 10, 4: 7, 5: 5, 7: 5, 10: 4, 14: 3}


def stage_path(
    rng: random.Random, *, sent: dt.datetime, now: dt.datetime
) -> list[tuple[str, dt.datetime]]:
    """The moves of an application sent at ``sent``, up to ``now``: (stage, when)."""
    moves: list[tuple[str, dt.datetime]] = []
    # In UTC: days added to a local time would shift by an hour across a change of hour.
    stage, at = str(Stage.SUBMITTED), sent.astimezone(dt.UTC)
    while stage in MOVES:
        choices = MOVES[stage]
        to, _weight, fewest, most = rng.choices(choices, weights=[c[1] for c in choices])[0]
        if to is None:
            break
        at += dt.timedelta(days=rng.randint(fewest, most), minutes=rng.randint(0, 600))
        if at >= now:
            break
        moves.append((to, at))
        stage = to
    return moves


def weighted(rng: random.Random, weights: Mapping[T, int], k: int = 1) -> list[T]:
    """``k`` picks among the keys, each as often as its weight says."""
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


@dataclass
class Past:
    """A mission's made-up past: counts by (day, event, detail), times by (day, stage, days)."""

    tallies: Counter[tuple[dt.date, str, str]] = field(default_factory=Counter)
    times: Counter[tuple[dt.date, str, int]] = field(default_factory=Counter)

    def add(self, day: dt.date, event: str, detail: str = "", times: int = 1) -> None:
        if times > 0:
            self.tallies[(day, event, detail)] += times


def history_ensure(*, references: list[str], now: dt.datetime) -> tuple[int, int]:
    """Write again the past of these missions (published or closed) before today; returns how
    many missions and events it counts."""
    today = local_day(now)
    missions = list(
        Mission.objects.filter(
            reference__in=references, status__in=(Mission.Status.PUBLISHED, Mission.Status.CLOSED)
        ).order_by("reference")
    )
    tallies: list[Tally] = []
    times: list[StageTime] = []
    for mission in missions:
        past = mission_past(mission, now=now, rng=mission_rng(mission))
        tallies += [
            Tally(mission=mission, day=day, event=event, detail=detail, count=count)
            for (day, event, detail), count in sorted(past.tallies.items())
        ]
        times += [
            StageTime(mission=mission, day=day, stage=stage, days=days, count=count)
            for (day, stage, days), count in sorted(past.times.items())
        ]
    with transaction.atomic():
        Tally.objects.filter(mission__in=missions, day__lt=today).delete()
        StageTime.objects.filter(mission__in=missions, day__lt=today).delete()
        Tally.objects.bulk_create(tallies, batch_size=1000)
        StageTime.objects.bulk_create(times, batch_size=1000)
    return len(missions), sum(tally.count for tally in tallies)


def mission_rng(mission: Mission) -> random.Random:
    """One generator per mission: its past does not change when another mission comes."""
    return random.Random(f"{SEED}-{mission.reference}")  # noqa: S311 -- made-up data


def mission_past(mission: Mission, *, now: dt.datetime, rng: random.Random) -> Past:
    """The mission's days from its publication (at most ``HISTORY_DAYS`` back) to yesterday."""
    today = local_day(now)
    # Moves from today on are the services' to count, not the past's.
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=timezone.get_default_timezone())
    first = today - dt.timedelta(days=HISTORY_DAYS)
    if mission.published_on:
        first = max(first, mission.published_on)
    past = Past()
    audience = rng.randint(25, 110)  # the page's usual views a day
    for offset in range((today - first).days):
        day = first + dt.timedelta(days=offset)
        days_left = (mission.deadline_date - day).days
        sent = day_tell(past, day, days_left=days_left, rng=rng, audience=audience)
        for _ in range(sent):
            application_tell(past, day, rng=rng, until=midnight)
    return past


def day_tell(past: Past, day: dt.date, *, days_left: int, rng: random.Random, audience: int) -> int:
    """The page's views, checks and verdicts, drafts begun, of a day; returns how many
    applications were sent. Visitors rush in the last days before the deadline."""
    weekday = 0.6 if day.weekday() >= 5 else 1.0
    if days_left < 0:  # closed: the page is still read, nobody may apply
        past.add(day, Event.VIEW, times=round(audience * 0.12 * weekday * rng.uniform(0.6, 1.4)))
        return 0
    rush = 1 + 2.5 * math.exp(-days_left / 4)
    views = max(5, round(audience * rush * weekday * rng.uniform(0.75, 1.25)))
    checks = round(views * rng.uniform(0.26, 0.34))
    eligible = round(checks * rng.uniform(0.64, 0.76))
    drafts = round(eligible * rng.uniform(0.3, 0.45))
    sent = round(drafts * min(0.95, rng.uniform(0.45, 0.6) * (1 + math.exp(-days_left / 3))))
    past.add(day, Event.VIEW, times=views)
    past.add(day, Event.CHECK, times=checks)
    past.add(day, Event.ELIGIBLE, times=eligible)
    past.add(day, Event.DRAFT, times=drafts)
    for rule in weighted(rng, REFUSAL_RULES, checks - eligible):
        past.add(day, Event.REFUSED, rule)
    return sent


def application_tell(past: Past, day: dt.date, *, rng: random.Random, until: dt.datetime) -> None:
    """One application sent that day: its countries, source and moves up to ``until``."""
    zone = timezone.get_default_timezone()
    sent = dt.datetime.combine(day, dt.time(8), tzinfo=zone) + dt.timedelta(
        minutes=rng.randint(0, 720)
    )
    past.add(day, Event.SUBMITTED)
    past.times[(day, Stage.DRAFT, weighted(rng, DRAFT_DAYS)[0])] += 1
    residence = weighted(rng, RESIDENCES)[0]
    # Most hold the nationality of the country they live in.
    native = residence in NATIONALITIES and rng.random() < 0.8
    held = {residence if native else weighted(rng, NATIONALITIES)[0]}
    if rng.random() < 0.08:  # dual nationals count under each nationality
        held.add(weighted(rng, NATIONALITIES)[0])
    past.add(day, Event.RESIDENCE, residence)
    for country in sorted(held):
        past.add(day, Event.NATIONALITY, country)
    past.add(day, Event.SOURCE, weighted(rng, SOURCES)[0])
    previous, since = str(Stage.SUBMITTED), sent
    for stage, moved in stage_path(rng, sent=sent, now=until):
        left = local_day(moved)
        past.add(left, Event.REACHED, stage)
        past.times[(left, previous, (moved - since).days)] += 1
        previous, since = stage, moved
