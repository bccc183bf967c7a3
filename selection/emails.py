"""E-mails of co-selection: the link to the partner, the one-time code, and the staff
warning when a link locks itself. One function per message, each returning an outbox draft."""

import datetime as dt
import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from missions.languages import text_in
from notifications.outbox import Draft
from selection.models import PartnerLink


def link_url(link: PartnerLink, token: str) -> str:
    with translation.override(link.language):
        return f"{settings.SITE_URL}{reverse('selection:home', args=[token])}"


def link_context(link: PartnerLink) -> dict[str, str]:
    mission = link.mission
    return {
        "mission_reference": mission.reference,
        "mission_title": text_in(mission, "title", link.language),
        "organisation": link.organisation,
        "person": link.person,
        "expires_at": "",  # set by the messages that expire
        "link_expires_at": link.expires_at.isoformat(),
        "time_zone": settings.TIME_ZONE,
    }


def link_invitation(link: PartnerLink, token: str, *, now: dt.datetime) -> Draft:
    """The link itself; a new one (sent again by staff) has a key of its own."""
    context = {**link_context(link), "url": link_url(link, token)}
    del context["expires_at"]
    return Draft(
        key=f"partner-link:{link.pk}:{token_key(token)}",
        to=link.email,
        template="partner_link",
        context=context,
        language=link.language,
        secrets=("url",),
    )


def link_code(link: PartnerLink, code: str, *, now: dt.datetime, valid_for: dt.timedelta) -> Draft:
    """The one-time code that opens the link; cancelled unsent once it has expired."""
    context = {
        **link_context(link),
        "code": code,
        "minutes": int(valid_for.total_seconds() // 60),
        "expires_at": (now + valid_for).isoformat(),
    }
    return Draft(
        key=f"partner-code:{link.pk}:{now.timestamp()}",
        to=link.email,
        template="partner_code",
        context=context,
        language=link.language,
        secrets=("code",),
    )


def link_locked(link: PartnerLink) -> Draft:
    """Staff (the link's creator) hear that too many wrong codes locked a link."""
    with translation.override(settings.LANGUAGE_CODE):
        admin_url = settings.SITE_URL + reverse(
            "admin:selection_partnerlink_change", args=[link.pk]
        )
    context = {**link_context(link), "email": link.email, "url": admin_url}
    del context["expires_at"]
    return Draft(
        key=f"partner-locked:{link.pk}:{link.locked_at.isoformat() if link.locked_at else ''}",
        to=link.created_by.email,
        template="partner_link_locked",
        context=context,
        language=settings.LANGUAGE_CODE,
    )


def token_key(token: str) -> str:
    """A short, non-secret tag of a token, for the outbox key (which is kept)."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]
