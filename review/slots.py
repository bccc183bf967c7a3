"""Interview slots published as a series ("Tuesdays and Thursdays 9:00–12:00, 30 min, for two
weeks"): the local times, counted in the mission's time zone so that 09:00 in Paris stays
09:00 in Paris across a change of clocks, and their creation in one transaction."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction

from missions.models import Mission
from review.models import InterviewSlot
from volunteers.models import User

# More than this in one series is a typo in the dates, not a recruitment campaign.
SERIES_LIMIT = 500


@dataclass(frozen=True)
class Series:
    """What the series form asks for."""

    weekdays: frozenset[int]  # Monday is 0, as date.weekday() counts
    day_start: dt.time
    day_end: dt.time
    minutes: int
    first_day: dt.date
    last_day: dt.date
    time_zone: str


def local_exists(moment: dt.datetime) -> bool:
    """Whether a wall-clock time exists in its zone (not in the hour skipped in spring)."""
    there_and_back = moment.astimezone(dt.UTC).astimezone(moment.tzinfo)
    return there_and_back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def series_starts(series: Series) -> Iterator[dt.datetime]:
    """Each slot's start, aware, in the series' zone: the wall-clock times are counted first
    and the zone applied after, so that a day's slots keep their hours whatever the offset;
    a time the clocks skip that day does not exist and is left out."""
    zone = zoneinfo.ZoneInfo(series.time_zone)
    length = dt.timedelta(minutes=series.minutes)
    day = series.first_day
    while day <= series.last_day:
        if day.weekday() in series.weekdays:
            start = dt.datetime.combine(day, series.day_start)
            end = dt.datetime.combine(day, series.day_end)
            while start + length <= end:
                moment = start.replace(tzinfo=zone)
                if local_exists(moment):
                    yield moment
                start += length
        day += dt.timedelta(days=1)


@transaction.atomic
def slots_create_series(
    *,
    mission: Mission,
    starts: Iterable[dt.datetime],
    minutes: int,
    time_zone: str,
    mode: str,
    video_url: str = "",
    address: str = "",
    phone_note: str = "",
    interviewers: Iterable[User] = (),
    capacity: int = 1,
) -> list[InterviewSlot]:
    """Create every slot of a series, all or none."""
    slots = InterviewSlot.objects.bulk_create(
        InterviewSlot(
            mission=mission, starts_at=start, duration_minutes=minutes, time_zone=time_zone,
            mode=mode, video_url=video_url, address=address, phone_note=phone_note,
            capacity=capacity,
        )
        for start in starts
    )  # fmt: skip
    people = list(interviewers)
    Through = InterviewSlot.interviewers.through
    Through.objects.bulk_create(
        Through(interviewslot_id=slot.pk, user_id=person.pk) for slot in slots for person in people
    )
    return slots
