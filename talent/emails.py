"""The invitation to apply, sent to a pool member: one function, returning an outbox draft."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from missions.languages import text_in
from notifications.outbox import Draft
from talent.models import Invitation
from volunteers.pool import pool_leave_url

# Read by the application form (built on main): the application records where it came from.
SOURCE = "?source=invitation"


def mission_url(invitation: Invitation) -> str:
    """The mission's page, in the volunteer's language, marked as reached by an invitation."""
    with translation.override(invitation.volunteer.preferred_language):
        path = reverse("missions:detail", kwargs={"reference": invitation.mission.reference})
    return f"{settings.SITE_URL}{path}{SOURCE}"


def invitation_sent(invitation: Invitation) -> Draft:
    volunteer, mission = invitation.volunteer, invitation.mission
    language = volunteer.preferred_language
    return Draft(
        key=f"talent-invitation:{invitation.pk}",
        to=volunteer.user.email,
        template="talent_invitation",
        context={
            "first_name": volunteer.first_name,
            "mission_reference": mission.reference,
            "mission_title": text_in(mission, "title", language),
            "city": text_in(mission, "city", language),
            "deadline": mission.deadline_date.isoformat(),
            "mission_url": mission_url(invitation),
            "leave_url": pool_leave_url(volunteer),
        },
        language=language,
        secrets=("leave_url",),  # blanked once sent: the link leaves the pool
    )
