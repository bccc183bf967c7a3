"""Sending outbox messages: once, with retries for temporary failures, and a sweep for lost ones."""

import datetime as dt
import logging
import smtplib
import socket
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from core.dates import backoff
from notifications import outbox
from notifications.emails import Rendered, render
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# What a retry may cure: the server is busy or unreachable for now.
TRANSIENT = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, socket.timeout, OSError)


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, 2×base, 4×base… capped at one hour."""
    return backoff(attempts, base_seconds=settings.OUTBOX_RETRY_BASE_SECONDS, max_seconds=3600)


def is_permanent(error: Exception) -> bool:
    """SMTP 5xx replies will not change by retrying; 4xx and connection errors may."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in error.recipients.values()]
        code = min(codes) if codes else None
    return code is not None and 500 <= code < 600


def messages_send(*, message_ids: list[int]) -> dict[str, int]:
    """Send a batch over one SMTP connection: claim the due messages, mark each sent once delivered.

    Each message is marked sent by its own statement as soon as the server accepted it, so a
    crash in the middle of a batch sends again at most the message under way; the others keep
    their claim until it ends (``claim_end``), then the sweep queues them again. A connection
    that failed is closed, so the next message of the batch opens a fresh one.
    """
    messages, outcomes = messages_claim(message_ids=message_ids, now=timezone.now())
    rendered: Rendered = {}  # messages with the same content are rendered once
    connection = get_connection()
    try:
        for message in messages:
            # Opened here, it stays open between messages (send() closes what it opened).
            # Should opening fail, send() tries again and the failure is recorded there.
            with suppress(smtplib.SMTPException, *TRANSIENT):
                connection.open()
            # Claimed: the claim keeps other tasks away, no row lock is held while sending.
            outcome = deliver(message, connection=connection, rendered=rendered)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome in ("retry", "failed"):
                connection.close()
    finally:
        connection.close()
    return outcomes


def claim_end(now: dt.datetime) -> dt.datetime:
    """When a batch's claim ends: after the task's hard time limit, its worker process is gone."""
    return now + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def messages_claim(
    *, message_ids: list[int], now: dt.datetime
) -> tuple[list[OutboxMessage], dict[str, int]]:
    """Claim a batch's pending, due messages (in the batch's order) and count the others.

    A claim is a ``next_attempt_at`` past the batch's end: other tasks and the sweep find the
    message not due. skip_locked: a message locked by another worker is that worker's job.
    """
    with transaction.atomic():
        pending = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, state=OutboxMessage.State.PENDING)
            .order_by()
        )
        due = [m for m in pending if not (m.next_attempt_at and m.next_attempt_at > now)]
        OutboxMessage.objects.filter(pk__in=[m.pk for m in due]).update(
            next_attempt_at=claim_end(now)
        )
    outcomes = {"skipped": len(message_ids) - len(pending), "not due": len(pending) - len(due)}
    order = {message_id: index for index, message_id in enumerate(message_ids)}
    due.sort(key=lambda message: order[message.pk])
    return due, {outcome: n for outcome, n in outcomes.items() if n}


def deliver(
    message: OutboxMessage,
    *,
    connection: BaseEmailBackend | None = None,
    rendered: Rendered | None = None,
) -> str:
    """Send a message claimed or locked by the caller; mark it sent as soon as the server
    accepted it (one statement), or record why not. ``connection`` None: one of its own."""
    if is_expired(message, timezone.now()):
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxMessage.State.CANCELLED,
            last_error="expired before it could be sent",
            next_attempt_at=None,
            **without_secrets(message),
        )
        logger.info("outbox message %s expired unsent", message.pk)
        return "expired"
    message.attempts += 1
    try:
        email = render(message, rendered)
        email.connection = connection
        email.send()
    except (smtplib.SMTPException, *TRANSIENT) as error:
        return record_failure(message, error, timezone.now())
    except Exception as error:  # noqa: BLE001 -- see unexpected_failure
        return unexpected_failure(message, error, timezone.now())
    mark_sent(message)
    logger.info("outbox message %s sent", message.pk)
    return "sent"


def mark_sent(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.SENT,
        sent_at=timezone.now(),
        attempts=message.attempts,
        last_error="",
        next_attempt_at=None,
        **without_secrets(message),
    )


def without_secrets(message: OutboxMessage) -> dict[str, Any]:
    """The update that blanks a message's secrets once it is sent or cancelled (none if it
    holds none): a link's token is then kept hashed only."""
    context = outbox.scrubbed(message.context)
    return {} if context is None else {"context": context}


def message_record_outcome(*, key: str, error: Exception | None = None) -> str | None:
    """Record how a pending message ended elsewhere: delivered, or refused by the recipient's
    server (``error``, kept as a failed send keeps it). For data telling a story (the demo's
    sample candidates), never for a message this worker is to send: nothing is sent here, and
    a message no longer pending is left as it is. Returns the outcome, or None."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(key=key, state=OutboxMessage.State.PENDING)
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        if error is not None:
            return record_failure(message, error, timezone.now())
        mark_sent(message)
        logger.info("outbox message %s recorded as delivered elsewhere", message.pk)
        return "sent"


def is_expired(message: OutboxMessage, now: dt.datetime) -> bool:
    """A message carrying a code or link past its use (``expires_at`` in its context)."""
    expires_at = message.context.get("expires_at")
    return bool(expires_at) and dt.datetime.fromisoformat(expires_at) <= now


def message_send(*, message_id: int) -> str:
    """Send one message if it is still pending and due; safe to run twice or concurrently."""
    now = timezone.now()
    with transaction.atomic():
        # skip_locked: another worker is sending it right now; that one will finish the job.
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=OutboxMessage.State.PENDING)
            .first()
        )
        if message is None:
            return "skipped"
        if message.next_attempt_at and message.next_attempt_at > now:
            return "not due"
        return deliver(message)


def unexpected_failure(message: OutboxMessage, error: Exception, now: dt.datetime) -> str:
    """A fault of this message rather than of the server (a template that no longer renders, a
    header Django refuses): counted and retried like a temporary failure, failed after the last
    attempt, and never allowed to hold up the rest of a batch. Logged as an error by type only:
    the exception's text may quote an address; it is kept in ``last_error`` for staff."""
    logger.error("outbox message %s could not be sent: %s", message.pk, type(error).__name__)
    return record_failure(message, error, now)


def record_failure(message: OutboxMessage, error: Exception, now: dt.datetime) -> str:
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if is_permanent(error) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.state = OutboxMessage.State.FAILED
        message.next_attempt_at = None
        message.context = outbox.scrubbed(message.context) or message.context  # never sent
        outcome = "failed"
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)
        outcome = "retry"
    message.save(update_fields=["state", "attempts", "last_error", "next_attempt_at", "context"])
    # Ids only in logs: no addresses, no names.
    logger.warning("outbox message %s: %s (attempt %s)", message.pk, outcome, message.attempts)
    return outcome


def due_for_sending(now: dt.datetime, limit: int = 1000) -> list[int]:
    """Pending messages the sweep should queue again: old enough, and due if retrying."""
    stale = now - dt.timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    return list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, created_at__lte=stale)
        .exclude(next_attempt_at__gt=now)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
