"""The staff side's beat work: the pre-departure training reminder to selected volunteers,
and the digest to reviewers the morning after a deadline. Each message has a unique key, so
running these every few minutes (or twice at once) sends each exactly once."""

import datetime as dt
import zoneinfo

from django.db.models import Count, Q

from applications.models import Application, Stage
from missions.models import Mission
from notifications.outbox import enqueue_many
from review import emails
from volunteers.models import User
from volunteers.selectors import staff_with_permission

DAY = dt.timedelta(days=1)
TRAINING_NOTICE = dt.timedelta(days=14)
DIGEST_HOUR = 8  # the morning after the deadline, in the mission's time zone


def remind_training(*, now: dt.datetime) -> int:
    """Selected volunteers hear about the pre-departure training 14 days before it starts:
    their own session (with its calendar invitation) when enrolled, else the mission's dates."""
    selected = (
        Application.objects.filter(stage=Stage.SELECTED)
        .filter(Q(mission__training_start__isnull=False) | Q(training_enrolment__isnull=False))
        .select_related("mission", "volunteer__user", "training_enrolment__session")
    )
    drafts = []
    for application in selected.iterator(chunk_size=2000):
        mission = application.mission
        enrolment = getattr(application, "training_enrolment", None)
        training_start = enrolment.session.starts_on if enrolment else mission.training_start
        today = now.astimezone(zoneinfo.ZoneInfo(mission.time_zone)).date()
        if training_start is None or not training_start - TRAINING_NOTICE <= today < training_start:
            continue
        drafts.append(emails.training_reminder(application, enrolment))
    return enqueue_many(drafts)


def send_staff_digests(*, now: dt.datetime) -> int:
    """The morning after a mission's deadline, each reviewer gets its numbers and a link."""
    missions = Mission.objects.filter(
        deadline_at__lte=now - dt.timedelta(hours=DIGEST_HOUR),
        deadline_at__gt=now - 2 * DAY,
    ).annotate(
        submitted=Count("applications", filter=~Q(applications__stage=Stage.DRAFT)),
        withdrawn=Count("applications", filter=Q(applications__stage=Stage.WITHDRAWN)),
        without_notes=Count(
            "applications",
            filter=~Q(applications__stage=Stage.DRAFT) & Q(applications__eligibility__findings=[]),
        ),
    )
    reviewers = list(reviewers_to_notify())
    drafts = [
        emails.staff_digest(
            mission,
            reviewer,
            {
                "submitted": mission.submitted,  # type: ignore[attr-defined]
                "withdrawn": mission.withdrawn,  # type: ignore[attr-defined]
                "without_notes": mission.without_notes,  # type: ignore[attr-defined]
            },
        )
        for mission in missions
        for reviewer in reviewers
    ]
    return enqueue_many(drafts)


def reviewers_to_notify() -> list[User]:
    """Active staff who may read applications."""
    return staff_with_permission("applications", "view_application")
