"""Review data built across the staff side's tests: a user in one of the roles."""

from django.contrib.auth.models import Group

from review.roles import COORDINATORS
from volunteers.models import User
from volunteers.tests.factories import UserFactory


def staff(group: str | None, email: str) -> User:
    user = UserFactory(email=email, is_staff=group != COORDINATORS)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def interview_slot(mission, *, starts_at, capacity=1, interviewers=(), **fields):
    """A slot of a mission, in the mission's time zone unless told, a video one by default."""
    from review.models import InterviewSlot

    defaults = {"time_zone": mission.time_zone, "video_url": "https://visio.example.org/abc"}
    slot = InterviewSlot.objects.create(
        mission=mission, starts_at=starts_at, capacity=capacity, **{**defaults, **fields}
    )
    slot.interviewers.set(interviewers)
    return slot


def at_interview(mission, volunteer=None, **fields):
    """A submitted application moved to the interview stage (without the move's e-mail)."""
    from applications.models import Stage
    from applications.tests.factories import submitted

    return submitted(mission, volunteer, stage=Stage.INTERVIEW, **fields)
