"""The outbox: callers write the e-mails they want sent inside their own transaction.

``notifications`` knows nothing of the other apps: a caller hands over a unique
key, a recipient, a template name, a JSON context and a language. Once the
caller's transaction commits, a Celery task sends the message
(``notifications.tasks.send_message``, or ``send_messages`` for a batch); if that task is
never queued (Redis down) or is lost (worker killed), the periodic sweep queues it again. A
batch marks each message sent as soon as the SMTP server accepted it, so a crash sends again
at most the message under way; the batch's other messages wait for their claim to end.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from notifications.models import OutboxMessage


@dataclass(frozen=True)
class Draft:
    key: str
    to: str
    template: str
    context: dict[str, Any]
    language: str
    # Text files sent with it: ({"filename", "content", "mimetype"}, …), e.g. an .ics.
    attachments: tuple[dict[str, str], ...] = ()
    # Context keys that hold a secret (a link's token, a one-time code): kept only until the
    # SMTP server has the message, then blanked (``scrubbed``).
    secrets: tuple[str, ...] = ()
    # Headers of its own ({name: value}); a value may name context keys as {key}, filled in
    # when the message is built: List-Unsubscribe's link is then a secret of the context.
    headers: dict[str, str] = field(default_factory=dict)


SECRETS = "_secrets"
SCRUBBED = "—"


def stored_context(draft: Draft) -> dict[str, Any]:
    return {**draft.context, SECRETS: list(draft.secrets)} if draft.secrets else draft.context


def scrubbed(context: dict[str, Any]) -> dict[str, Any] | None:
    """The context with its secrets blanked, or None when it holds none."""
    keys = context.get(SECRETS)
    if not keys:
        return None
    return {**{k: v for k, v in context.items() if k not in keys}, **dict.fromkeys(keys, SCRUBBED)}


def enqueue(draft: Draft) -> OutboxMessage:
    """Record a message to send once; a second call with the same key changes nothing."""
    message, created = OutboxMessage.objects.get_or_create(
        key=draft.key,
        defaults={
            "to": draft.to,
            "template": draft.template,
            "context": stored_context(draft),
            "language": draft.language,
            "attachments": list(draft.attachments),
            "headers": dict(draft.headers),
        },
    )
    if created:
        queue_after_commit([message.pk])
    return message


def enqueue_many(drafts: Iterable[Draft], *, batch_size: int = 1000) -> int:
    """Record many messages at once (reminders); keys already present are left alone."""
    drafts = list(drafts)
    keys = [draft.key for draft in drafts]
    existing = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    new = [
        OutboxMessage(
            key=d.key,
            to=d.to,
            template=d.template,
            context=stored_context(d),
            language=d.language,
            attachments=list(d.attachments),
            headers=dict(d.headers),
        )
        for d in drafts
        if d.key not in existing
    ]
    # ignore_conflicts: a concurrent run may have written some of the keys meanwhile.
    OutboxMessage.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
    created_ids = list(
        OutboxMessage.objects.filter(
            key__in=[m.key for m in new], state=OutboxMessage.State.PENDING, attempts=0
        ).values_list("pk", flat=True)
    )
    queue_after_commit(created_ids)
    return len(new)


def queue_after_commit(message_ids: list[int]) -> None:
    """Queue the send tasks once the caller's transaction is committed.

    ``robust``: if Redis is down the caller still succeeds; the sweep sends the message later.
    """
    transaction.on_commit(lambda: queue(message_ids), robust=True)


def queue(message_ids: list[int]) -> None:
    """Queue send tasks now: one message alone, or batches sharing one SMTP connection.

    Batches are small enough that every worker gets a share of a big run of reminders.
    """
    from notifications.tasks import send_message, send_messages

    if len(message_ids) == 1:
        send_message.delay(message_ids[0])
        return
    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(message_ids), size):
        send_messages.delay(message_ids[start : start + size])


def messages_to(address: str) -> list[dict[str, Any]]:
    """What was written to one address, oldest first, for that person's copy of their data."""
    messages = OutboxMessage.objects.filter(to=address).order_by("created_at")
    fields = ("template", "state", "language", "context", "created_at", "sent_at")
    return list(messages.values(*fields))


def messages_erase(*, to: str, replacement: str) -> int:
    """Erase an address from the outbox (an account's erasure): the address becomes
    ``replacement`` and the messages' contexts are emptied; what was still to send is
    cancelled, never sent to the replacement. Returns how many changed."""
    messages = OutboxMessage.objects.filter(to=to)
    messages.filter(state=OutboxMessage.State.PENDING).update(
        state=OutboxMessage.State.CANCELLED, last_error="recipient erased", next_attempt_at=None
    )
    return messages.update(to=replacement, context={})


def messages_cancel(*, key_prefix: str, reason: str) -> int:
    """Cancel the messages still to send whose key starts so (a code replaced by a new one);
    their secrets are blanked."""
    pending = OutboxMessage.objects.filter(
        key__startswith=key_prefix, state=OutboxMessage.State.PENDING
    )
    for message in pending.filter(context__has_key=SECRETS):
        message.context = scrubbed(message.context) or message.context
        message.save(update_fields=["context"])
    return pending.update(
        state=OutboxMessage.State.CANCELLED, last_error=reason, next_attempt_at=None
    )


def messages_delete(*, to: Iterable[str]) -> int:
    """Delete every message to these addresses (sample data being removed); returns how many."""
    deleted, _by_model = OutboxMessage.objects.filter(to__in=list(to)).delete()
    return deleted
