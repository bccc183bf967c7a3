"""Partner review links: created and sent by staff, opened by the partner with a one-time
code sent to the link's address, revoked or locked, and every access logged.

The link's token (256 bits) is stored as its SHA-256 only; the e-mail carrying it keeps it
until the SMTP server has it (``notifications.outbox.Draft.secrets``), then blanks it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from applications.models import SHORTLIST_STAGES, Application, ApplicationDocument
from notifications import outbox
from selection import emails
from selection.models import PartnerAccess, PartnerLink, PartnerOpinion

TOKEN_BYTES = 32  # 256 bits
DEFAULT_DAYS = 14
MAX_DAYS = 60
CODE_LIFETIME = dt.timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5  # wrong codes in a row, then the link is locked and staff told
CODE_INTERVAL = dt.timedelta(seconds=60)  # between two codes sent to the address
# A verified browser keeps its access this long (never past the link's expiry).
SESSION_LIFETIME = dt.timedelta(hours=12)


class LinkGone(Exception):
    """The link was revoked, has expired or is locked: the partner gets a 410 page."""

    def __init__(self, link: PartnerLink, reason: str) -> None:
        super().__init__(reason)
        self.link = link
        self.reason = reason


class CodeError(Exception):
    """A code asked for too soon."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def code_hash(link: PartnerLink, code: str) -> str:
    """The code's HMAC under the site's key and the link (a leaked row reveals nothing)."""
    key = f"{settings.SECRET_KEY}:partner-code:{link.pk}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def link_send(link: PartnerLink, *, now: dt.datetime) -> str:
    """Give the link a new token (the old one stops working) and e-mail it to the partner."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link.token_hash = token_hash(token)
    link.code_hash, link.code_sent_at, link.code_attempts = "", None, 0
    link.save(update_fields=["token_hash", "code_hash", "code_sent_at", "code_attempts"])
    outbox.enqueue(emails.link_invitation(link, token, now=now))
    return token


@transaction.atomic
def link_create(link: PartnerLink, applications: list[Application], *, now: dt.datetime) -> str:
    """Save a new link (its fields set by staff's form), its chosen applications, and send it."""
    link.token_hash = token_hash(secrets.token_urlsafe(TOKEN_BYTES))  # replaced just below
    link.save()
    link.applications.set(applications)
    return link_send(link, now=now)


def link_revoke(link: PartnerLink, *, now: dt.datetime) -> PartnerLink:
    if link.revoked_at is None:
        link.revoked_at = now
        link.save(update_fields=["revoked_at"])
    return link


def link_unlock(link: PartnerLink) -> PartnerLink:
    link.locked_at, link.code_attempts, link.code_hash = None, 0, ""
    link.save(update_fields=["locked_at", "code_attempts", "code_hash"])
    return link


def link_of_token(token: str, *, now: dt.datetime) -> PartnerLink | None:
    """The link this token opens, None for an unknown token; LinkGone for a closed one."""
    link = (
        PartnerLink.objects.select_related("mission").filter(token_hash=token_hash(token)).first()
    )
    if link is None:
        return None
    reason = closed_reason(link, now)
    if reason:
        raise LinkGone(link, reason)
    return link


def closed_reason(link: PartnerLink, now: dt.datetime) -> str:
    """Why the link no longer opens ("" while it does)."""
    if link.revoked_at:
        return _("Ce lien a été révoqué par l'équipe de recrutement.")
    if link.locked_at:
        return _("Ce lien est verrouillé après trop de codes erronés : l'équipe est prévenue.")
    if now >= link.expires_at:
        return _("Ce lien a expiré.")
    return ""


def logged(
    link: PartnerLink,
    action: str,
    *,
    now: dt.datetime,
    application: Application | None = None,
    document: ApplicationDocument | None = None,
) -> PartnerAccess:
    return PartnerAccess.objects.create(
        link=link,
        action=action,
        application=application,
        document=document.original_name if document else "",
        email=link.email,
        at=now,
    )


@transaction.atomic
def code_send(link: PartnerLink, *, now: dt.datetime) -> None:
    """E-mail a new one-time code to the link's address (at most one a minute)."""
    link = PartnerLink.objects.select_for_update().get(pk=link.pk)
    if link.code_sent_at and now - link.code_sent_at < CODE_INTERVAL:
        raise CodeError(
            _("Un code vient d'être envoyé : attendez une minute avant d'en demander un autre.")
        )
    code = f"{secrets.randbelow(10**6):06d}"
    link.code_hash, link.code_sent_at = code_hash(link, code), now
    link.save(update_fields=["code_hash", "code_sent_at"])
    outbox.messages_cancel(key_prefix=f"partner-code:{link.pk}:", reason="replaced by a new code")
    outbox.enqueue(emails.link_code(link, code, now=now, valid_for=CODE_LIFETIME))
    logged(link, PartnerAccess.Action.CODE_SENT, now=now)


@transaction.atomic
def code_check(link: PartnerLink, code: str, *, now: dt.datetime) -> str:
    """Accept the code sent last (once): "" then; otherwise count a failure and say why; the
    fifth failure in a row locks the link and tells staff."""
    link = PartnerLink.objects.select_for_update().get(pk=link.pk)
    code = "".join(code.split())
    if not link.code_hash or link.code_sent_at is None:
        return _("Demandez d'abord un code : il est envoyé à l'adresse du lien.")
    if now - link.code_sent_at > CODE_LIFETIME:
        return _("Ce code a expiré : demandez-en un nouveau.")
    if hmac.compare_digest(link.code_hash, code_hash(link, code)):
        link.code_hash, link.code_attempts = "", 0
        link.save(update_fields=["code_hash", "code_attempts"])
        logged(link, PartnerAccess.Action.OPENED, now=now)
        return ""
    link.code_attempts += 1
    logged(link, PartnerAccess.Action.CODE_FAILED, now=now)
    if link.code_attempts >= CODE_MAX_ATTEMPTS:
        link.locked_at, link.code_hash = now, ""
        link.save(update_fields=["code_attempts", "locked_at", "code_hash"])
        logged(link, PartnerAccess.Action.LOCKED, now=now)
        outbox.enqueue(emails.link_locked(link))
        return closed_reason(link, now)
    link.save(update_fields=["code_attempts"])
    left = CODE_MAX_ATTEMPTS - link.code_attempts
    return _("Ce code n'est pas le bon. Essais restants : %(left)s.") % {"left": left}


def in_scope(link: PartnerLink) -> QuerySet[Application]:
    """The applications the partner may read: the mission's shortlist as it is now, or the
    ones staff chose (still submitted: a withdrawn one disappears)."""
    applications = Application.objects.filter(
        mission_id=link.mission_id, submitted_at__isnull=False
    )
    if link.scope == PartnerLink.Scope.SHORTLIST:
        return applications.filter(stage__in=SHORTLIST_STAGES)
    return applications.filter(partner_links=link).exclude(stage="withdrawn")


@dataclass(frozen=True)
class OpinionInput:
    verdict: str
    comment: str
    scores: dict[str, int]


def opinion_save(
    link: PartnerLink, application: Application, given: OpinionInput, *, now: dt.datetime
) -> PartnerOpinion:
    """Record or replace the partner's opinion on one candidate."""
    values = list(given.scores.values())
    average = round(sum(values) / len(values), 2) if values else None
    opinion, _created = PartnerOpinion.objects.update_or_create(
        link=link,
        application=application,
        defaults={
            "verdict": given.verdict,
            "comment": given.comment,
            "scores": given.scores,
            "average": average,
        },
    )
    logged(link, PartnerAccess.Action.OPINION, now=now, application=application)
    return opinion
