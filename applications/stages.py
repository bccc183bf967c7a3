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
from missions.tallies import Count, stage_time_add, tally_add
from volunteers.models import User

# Written by stage_moved besides the stage itself: callers save them with it.
STAGE_FIELDS = ("stage", "stage_since", "updated_at")


def stage_moved(
    application: Application,
    *,
    previous: str,
    at: dt.datetime,
    by: User | None = None,
    comment: str = "",
    counts: list[Count] | None = None,
) -> StageChange:
    """Record the move to ``application.stage`` the caller just made; ``counts`` are more
    events of the day to count with it (the submission's countries and source)."""
    stage = application.stage
    since = application.stage_since or application.created_at
    if since is not None:
        stage_time_add(mission_id=application.mission_id, stage=previous, since=since, at=at)
    counts = list(counts or [])
    if stage == Stage.SUBMITTED:
        counts.append((Event.SUBMITTED, ""))
    elif not application.history.filter(to_stage=stage).exists():
        counts.append((Event.REACHED, stage))
    tally_add(mission_id=application.mission_id, at=at, counts=counts)
    application.stage_since = at
    return StageChange.objects.create(
        application=application, from_stage=previous, to_stage=stage, by=by, comment=comment
    )
