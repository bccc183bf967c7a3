"""A stage change, recorded: its history row and the dashboard's counts.

Every move of an application (submission, withdrawal, a staff move, an erasure) goes through
``stage_moved`` in the transaction that makes it. Besides the history row it counts, for the
dashboard (``missions.tallies``), the first time the application reaches the stage (moved back
and forth, it counts once) and how many whole days it spent in the stage it leaves, from
``Application.stage_since``.
"""

from __future__ import annotations

import datetime as dt

from applications.models import Application, Stage, StageChange
from missions.models import Event
from missions.tallies import Count, local_day, stage_time_row, stage_times_add, tallies_add
from volunteers.models import User

# Written by stage_moved besides the stage itself: callers save them with it.
STAGE_FIELDS = ("stage", "stage_since", "updated_at")


class StageCounts:
    """The counts of several moves, written at once and in key order (``stage_moved``'s
    ``into``): two staff members moving applications of the same missions at once then lock
    the counts' rows in the same order, never each waiting for the other."""

    def __init__(self) -> None:
        self.tallies: list[tuple[int, dt.date, str, str, int]] = []
        self.times: list[tuple[int, dt.date, str, int, int]] = []

    def write(self) -> None:
        tallies_add(self.tallies)
        stage_times_add(self.times)
        self.tallies, self.times = [], []


def stage_moved(
    application: Application,
    *,
    previous: str,
    at: dt.datetime,
    by: User | None = None,
    comment: str = "",
    via: str = "",
    counts: list[Count] | None = None,
    into: StageCounts | None = None,
) -> StageChange:
    """Record the move to ``application.stage`` the caller just made; ``counts`` are more
    events of the day to count with it (the submission's countries and source). The counts
    are written at once, or added to ``into`` for the caller to write (a bulk move)."""
    pending = into if into is not None else StageCounts()
    stage = application.stage
    since = application.stage_since or application.created_at
    mission = application.mission_id
    if since is not None:
        pending.times.append(stage_time_row(mission_id=mission, stage=previous, since=since, at=at))
    counts = list(counts or [])
    if stage == Stage.SUBMITTED:
        counts.append((Event.SUBMITTED, ""))
    elif not application.history.filter(to_stage=stage).exists():
        counts.append((Event.REACHED, stage))
    pending.tallies.extend((mission, local_day(at), e, d[:40], 1) for e, d in counts)
    if into is None:
        pending.write()
    application.stage_since = at
    return StageChange.objects.create(
        application=application,
        from_stage=previous,
        to_stage=stage,
        by=by,
        comment=comment,
        via=via,
    )
