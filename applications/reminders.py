"""Reminders and digests written to the outbox by Celery beat: each one once, never late.

Each function looks at the database for what is due now, in each mission's own
time zone, and writes messages whose keys make them unique, so running it
every few minutes (or twice at once) sends each reminder exactly once.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.urls import reverse

from applications.models import Application, Stage
from missions.models import Mission
from notifications.outbox import Draft, enqueue_many
from volunteers.models import User

DAY = dt.timedelta(days=1)
# Reminder name -> how long before the deadline its one-day window opens.
DRAFT_REMINDERS = {"reminder-7d": 7 * DAY, "reminder-1d": DAY}
TRAINING_NOTICE = dt.timedelta(days=14)
DIGEST_HOUR = 8  # the morning after the deadline, in the mission's time zone


def remind_unfinished_drafts(*, now: dt.datetime) -> int:
    """Drafts get a reminder 7 days and 1 day before the deadline; none once it has passed."""
    drafts = []
    for name, before in DRAFT_REMINDERS.items():
        # The window lasts one day, so a beat outage of a few hours still sends it.
        due = (
            Application.objects.drafts()
            .filter(
                mission__status=Mission.Status.PUBLISHED,
                mission__deadline_at__gt=max(now, now + before - DAY),
                mission__deadline_at__lte=now + before,
            )
            .select_related("mission", "volunteer__user")
        )
        drafts += [
            Draft(
                key=f"{name}:{application.pk}",
                to=application.volunteer.user.email,
                template="draft_reminder",
                language=application.volunteer.preferred_language,
                context={
                    **mission_context(application.mission),
                    "deadline": application.mission.deadline_date.isoformat(),
                    "apply_url": settings.SITE_URL
                    + reverse("applications:apply", args=[application.mission.reference]),
                },
            )
            for application in due.iterator(chunk_size=2000)
        ]
    return enqueue_many(drafts)


def remind_training(*, now: dt.datetime) -> int:
    """Selected volunteers hear about the pre-departure training 14 days before it starts."""
    selected = Application.objects.filter(
        stage=Stage.SELECTED, mission__training_start__isnull=False
    ).select_related("mission", "volunteer__user")
    drafts = []
    for application in selected.iterator(chunk_size=2000):
        mission = application.mission
        training_start = mission.training_start
        today = now.astimezone(zoneinfo.ZoneInfo(mission.time_zone)).date()
        if training_start is None or not training_start - TRAINING_NOTICE <= today < training_start:
            continue
        drafts.append(
            Draft(
                key=f"training-14d:{application.pk}",
                to=application.volunteer.user.email,
                template="training_reminder",
                language=application.volunteer.preferred_language,
                context={
                    **mission_context(mission),
                    "application_reference": application.reference,
                    "training_start": training_start.isoformat(),
                    "contact_email": mission.contact_email,
                },
            )
        )
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
        Draft(
            key=f"digest:{mission.pk}:{reviewer.pk}",
            to=reviewer.email,
            template="staff_digest",
            language=settings.LANGUAGE_CODE,
            context={
                **mission_context(mission),
                "submitted": mission.submitted,  # type: ignore[attr-defined]
                "withdrawn": mission.withdrawn,  # type: ignore[attr-defined]
                "without_notes": mission.without_notes,  # type: ignore[attr-defined]
                "admin_url": settings.SITE_URL
                + reverse("admin:applications_application_changelist")
                + f"?mission__id__exact={mission.pk}",
            },
        )
        for mission in missions
        for reviewer in reviewers
    ]
    return enqueue_many(drafts)


def reviewers_to_notify() -> list[User]:
    """Active staff who may read applications."""
    permission = Permission.objects.get(codename="view_application")
    return list(
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions=permission)
            | Q(groups__permissions=permission)
        )
        .distinct()
    )


def mission_context(mission: Mission) -> dict[str, str]:
    return {
        "mission_reference": mission.reference,
        "mission_title": mission.title,
        "subject": mission.application_subject,
        "city": mission.city,
        "url": settings.SITE_URL + "/me/",
    }
