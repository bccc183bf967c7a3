"""Sending outbox messages: once, with retries for temporary failures, and a sweep for lost ones."""

import datetime as dt
import logging
import smtplib
import socket
from contextlib import suppress

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from notifications.emails import render
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# What a retry may cure: the server is busy or unreachable for now.
TRANSIENT = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, socket.timeout, OSError)


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, 2×base, 4×base… capped at one hour."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 3600))


def is_permanent(error: Exception) -> bool:
    """SMTP 5xx replies will not change by retrying; 4xx and connection errors may."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in error.recipients.values()]
        code = min(codes) if codes else None
    return code is not None and 500 <= code < 600


def messages_send(*, message_ids: list[int]) -> dict[str, int]:
    """Send a batch of messages over one SMTP connection; each is still locked and sent once.

    A connection that failed is closed, so the next message of the batch opens a fresh one.
    """
    outcomes: dict[str, int] = {}
    connection = get_connection()
    try:
        for message_id in message_ids:
            # Opened here, it stays open between messages (send() closes what it opened).
            # Should opening fail, send() tries again and the failure is recorded there.
            with suppress(smtplib.SMTPException, *TRANSIENT):
                connection.open()
            outcome = message_send(message_id=message_id, connection=connection)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome in ("retry", "failed"):
                connection.close()
    finally:
        connection.close()
    return outcomes


def message_send(*, message_id: int, connection: BaseEmailBackend | None = None) -> str:
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
        message.attempts += 1
        try:
            email = render(message)
            email.connection = connection  # None: a connection of its own
            email.send()
        except (smtplib.SMTPException, *TRANSIENT) as error:
            return record_failure(message, error, now)
        message.state = OutboxMessage.State.SENT
        message.sent_at = now
        message.last_error = ""
        message.save(update_fields=["state", "sent_at", "attempts", "last_error"])
    logger.info("outbox message %s sent", message_id)
    return "sent"


def record_failure(message: OutboxMessage, error: Exception, now: dt.datetime) -> str:
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if is_permanent(error) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.state = OutboxMessage.State.FAILED
        message.next_attempt_at = None
        outcome = "failed"
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)
        outcome = "retry"
    message.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])
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
