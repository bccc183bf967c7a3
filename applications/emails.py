"""E-mails to candidates about their applications: one function per message, each returning
the outbox draft (``notifications.outbox``) that the caller enqueues in its transaction."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from missions.languages import text_in
from missions.models import Mission
from notifications.outbox import Draft


def mission_context(mission: Mission, language: str) -> dict[str, str]:
    """What every e-mail about a mission says of it, in the recipient's language."""
    return {
        "mission_reference": mission.reference,
        "mission_title": text_in(mission, "title", language),
        "subject": text_in(mission, "application_subject", language),
        "city": text_in(mission, "city", language),
        "url": settings.SITE_URL + "/me/",
    }


def application_message(application: Application, template: str, *, key: str) -> Draft:
    """An e-mail to the candidate about their application, in their language."""
    mission = application.mission
    volunteer = application.volunteer
    language = volunteer.preferred_language
    with translation.override(language):
        me_path = reverse("me")  # the talent pool's section of /me/, in their language
    context: dict[str, Any] = {
        "application_id": application.pk,
        "application_reference": application.reference,
        "mission_reference": mission.reference,
        "mission_title": text_in(mission, "title", language),
        "subject": text_in(mission, "application_subject", language),
        "stage": application.stage,
        "url": settings.SITE_URL + "/me/",
        "pool_url": f"{settings.SITE_URL}{me_path}#vivier",
        "pool_months": settings.POOL_MONTHS,
    }
    if application.refusal_reason is not None:
        context["reason"] = application.refusal_reason.sentence(language)
    return Draft(
        key=key, to=volunteer.user.email, template=template, context=context, language=language
    )


def application_submitted(application: Application) -> Draft:
    return application_message(
        application, "application_submitted", key=f"confirmation:{application.pk}"
    )


def application_withdrawn(application: Application) -> Draft:
    return application_message(
        application, "application_withdrawn", key=f"withdrawn:{application.pk}"
    )


def draft_reminder(application: Application, *, name: str) -> Draft:
    """``name``: which reminder (``reminder-7d``, ``reminder-1d``), each sent once."""
    mission = application.mission
    language = application.volunteer.preferred_language
    return Draft(
        key=f"{name}:{application.pk}",
        to=application.volunteer.user.email,
        template="draft_reminder",
        language=language,
        context={
            **mission_context(mission, language),
            "deadline": mission.deadline_date.isoformat(),
            "apply_url": settings.SITE_URL
            + reverse("applications:apply", args=[mission.reference]),
        },
    )
