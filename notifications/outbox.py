"""The outbox: callers write the e-mails they want sent inside their own transaction.

``notifications`` knows nothing of the other apps: a caller hands over a unique
key, a recipient, a template name, a JSON context and a language. Sending (a
Celery task queued on commit, retries, a periodic sweep) is the job of
``notifications.tasks``.
"""

from typing import Any

from notifications.models import OutboxMessage


def enqueue(
    *, key: str, to: str, template: str, context: dict[str, Any], language: str
) -> OutboxMessage:
    """Record a message to send once; a second call with the same key changes nothing."""
    message, _created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={"to": to, "template": template, "context": context, "language": language},
    )
    return message
