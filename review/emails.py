"""E-mails of the staff side: a stage change to the candidate, the pre-departure training
reminder, the staff digest. One function per message, each returning an outbox draft."""

from django.conf import settings
from django.urls import reverse

from applications.emails import application_message, mission_context
from applications.models import Application, StageChange
from missions.models import Mission
from notifications.outbox import Draft
from volunteers.models import User


def stage_changed(application: Application, change: StageChange) -> Draft:
    """The candidate hears of a move to a stage in NOTIFIED_STAGES, once per move."""
    return application_message(
        application, f"application_{change.to_stage}", key=f"stage:{change.pk}"
    )


def stage_change_preview(application: Application, to_stage: str) -> Draft:
    """What ``stage_changed`` would send this candidate, for staff to read before moving."""
    return application_message(application, f"application_{to_stage}", key="preview")


def training_reminder(application: Application) -> Draft:
    mission = application.mission
    training_start = mission.training_start
    return Draft(
        key=f"training-14d:{application.pk}",
        to=application.volunteer.user.email,
        template="training_reminder",
        language=application.volunteer.preferred_language,
        context={
            **mission_context(mission),
            "application_reference": application.reference,
            "training_start": training_start.isoformat() if training_start else "",
            "contact_email": mission.contact_email,
        },
    )


def staff_digest(mission: Mission, reviewer: User, counts: dict[str, int]) -> Draft:
    """``counts``: submitted, withdrawn and without_notes for the mission."""
    return Draft(
        key=f"digest:{mission.pk}:{reviewer.pk}",
        to=reviewer.email,
        template="staff_digest",
        language=settings.LANGUAGE_CODE,
        context={
            **mission_context(mission),
            **counts,
            "admin_url": settings.SITE_URL
            + reverse("admin:applications_application_changelist")
            + f"?mission__id__exact={mission.pk}",
        },
    )
