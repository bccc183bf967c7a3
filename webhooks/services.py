"""Sending deliveries: claimed once, signed, retried with backoff; endpoints failing for days
are disabled and staff told through the e-mail outbox."""

import datetime as dt
import http.client
import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import backoff
from notifications import outbox as email_outbox
from webhooks import emails, outbox, signing, transport
from webhooks.models import Delivery, Endpoint
from webhooks.security import UnresolvedHost, UnsafeURL, target

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, 2×base, 4×base… capped (six hours by default)."""
    return backoff(
        attempts,
        base_seconds=settings.WEBHOOKS_RETRY_BASE_SECONDS,
        max_seconds=settings.WEBHOOKS_RETRY_MAX_SECONDS,
    )


def claim_end(now: dt.datetime) -> dt.datetime:
    """When a claim ends: after the task's hard time limit, its worker process is gone."""
    return now + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def delivery_claim(*, delivery_id: int, now: dt.datetime) -> Delivery | None:
    """Claim a pending, due delivery and count the attempt, in one conditional UPDATE: of two
    workers, one gets it; the other (or the sweep) finds it not due until the claim ends."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = (
        Delivery.objects.filter(due, pk=delivery_id, state=Delivery.State.PENDING)
        .update(next_attempt_at=claim_end(now), attempts=F("attempts") + 1)
    )  # fmt: skip
    if not claimed:
        return None
    return Delivery.objects.select_related("endpoint").get(pk=delivery_id)


def body(delivery: Delivery) -> bytes:
    """What is POSTed: the event, its id and time, and the caller's public data."""
    document = {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def headers(delivery: Delivery, content: bytes, timestamp: int) -> dict[str, str]:
    secret = delivery.endpoint.secret
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Volontiers-Webhooks/1",
        signing.ID_HEADER: str(delivery.event_id),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(
            secret=secret, timestamp=timestamp, body=content
        ),
    }


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery if it is still pending and due; safe to run twice or concurrently.
    No lock is held while the receiver answers: the claim keeps others away."""
    delivery = delivery_claim(delivery_id=delivery_id, now=timezone.now())
    if delivery is None:
        return "skipped"
    if not delivery.endpoint.active:
        return record(delivery, state=Delivery.State.CANCELLED, error=_("Point désactivé."))
    try:
        checked = target(delivery.endpoint.url)
    except UnsafeURL as error:  # staff changed the URL: no retry will make it safe
        return record(delivery, state=Delivery.State.FAILED, error=str(error))
    except UnresolvedHost as error:
        return record_failure(delivery, error=str(error))
    content = body(delivery)
    sent_headers = headers(delivery, content, int(timezone.now().timestamp()))
    try:
        answer = transport.post(checked, content, sent_headers, settings.WEBHOOKS_TIMEOUT_SECONDS)
    except (OSError, http.client.HTTPException) as error:
        return record_failure(delivery, error=f"{type(error).__name__}: {error}")
    if 200 <= answer.status < 300:
        return record_sent(delivery, status=answer.status)
    if 300 <= answer.status < 400:  # never followed: it could lead anywhere, a private address
        problem = _("Redirection refusée (les webhooks ne suivent pas les redirections).")
    else:
        problem = _("Le récepteur a répondu %(status)s.") % {"status": answer.status}
    problem = f"{problem} {answer.text[:200]}".strip()
    return record_failure(delivery, error=problem, status=answer.status)


def record_sent(delivery: Delivery, *, status: int) -> str:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENT, sent_at=now, last_status_code=status, last_error="",
        next_attempt_at=None,
    )  # fmt: skip
    Endpoint.objects.filter(pk=delivery.endpoint_id).update(failing_since=None)
    logger.info("webhook delivery %s sent (attempt %s)", delivery.pk, delivery.attempts)
    return "sent"


def record(delivery: Delivery, *, state: str, error: str, status: int | None = None) -> str:
    """End a delivery unsent (failed for good, or cancelled), with why."""
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state, last_error=error[:2000], last_status_code=status, next_attempt_at=None
    )
    if state == Delivery.State.FAILED:
        endpoint_failed(delivery.endpoint_id, timezone.now())
    logger.warning("webhook delivery %s: %s", delivery.pk, state)
    return str(state)


def record_failure(delivery: Delivery, *, error: str, status: int | None = None) -> str:
    """A failure a retry may cure: try again later, or give up after the last attempt."""
    if delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        return record(delivery, state=Delivery.State.FAILED, error=error, status=status)
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        last_error=error[:2000], last_status_code=status,
        next_attempt_at=now + retry_delay(delivery.attempts),
    )  # fmt: skip
    endpoint_failed(delivery.endpoint_id, now)
    logger.warning("webhook delivery %s: retry (attempt %s)", delivery.pk, delivery.attempts)
    return "retry"


def endpoint_failed(endpoint_id: int, now: dt.datetime) -> None:
    """Note since when the endpoint fails, and disable it after the allowed days."""
    Endpoint.objects.filter(pk=endpoint_id, failing_since=None).update(failing_since=now)
    endpoints_disable_failing(now=now, endpoint_ids=[endpoint_id])


@transaction.atomic
def endpoints_disable_failing(*, now: dt.datetime, endpoint_ids: list[int] | None = None) -> int:
    """Disable the active endpoints failing for WEBHOOKS_DISABLE_AFTER_DAYS; their pending
    deliveries are cancelled and staff told by e-mail. Returns how many were disabled."""
    since = now - dt.timedelta(days=settings.WEBHOOKS_DISABLE_AFTER_DAYS)
    failing = Endpoint.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        active=True, failing_since__lte=since
    )
    if endpoint_ids is not None:
        failing = failing.filter(pk__in=endpoint_ids)
    disabled = list(failing.select_related("created_by"))
    for endpoint in disabled:
        endpoint.active, endpoint.disabled_at = False, now
        endpoint.save(update_fields=["active", "disabled_at"])
        endpoint.deliveries.filter(state=Delivery.State.PENDING).update(
            state=Delivery.State.CANCELLED, next_attempt_at=None,
            last_error=_("Point désactivé après des échecs répétés."),
        )  # fmt: skip
        for address in staff_to_tell(endpoint):
            email_outbox.enqueue(emails.endpoint_disabled(endpoint, to=address))
        logger.warning("webhook endpoint %s disabled", endpoint.pk)
    return len(disabled)


def staff_to_tell(endpoint: Endpoint) -> list[str]:
    """The endpoint's creator, or the superusers when it has none (or no address)."""
    creator: Any = endpoint.created_by
    if creator is not None and creator.is_active and creator.email:
        return [creator.email]
    superusers = get_user_model().objects.filter(is_superuser=True, is_active=True)
    return sorted(email for email in superusers.values_list("email", flat=True) if email)


def due_for_sending(now: dt.datetime, limit: int = 1000) -> list[int]:
    """Pending deliveries the sweep queues again: old enough, and due if retrying."""
    stale = now - dt.timedelta(seconds=settings.WEBHOOKS_SWEEP_AFTER_SECONDS)
    return list(
        Delivery.objects.filter(state=Delivery.State.PENDING, created_at__lte=stale)
        .exclude(next_attempt_at__gt=now)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_resend(*, delivery_ids: list[int]) -> int:
    """Staff's "send again": a new attempt of each delivery (same event id) of an active
    endpoint, queued once this commits. Attempts keep counting: one past the last is tried
    once, without further retries."""
    resent = Delivery.objects.filter(pk__in=delivery_ids, endpoint__active=True).exclude(
        state=Delivery.State.PENDING
    )
    ids = list(resent.values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.PENDING, next_attempt_at=None)
    outbox.queue_after_commit(ids)
    return len(ids)
