"""The outbox's work, done in the test's own process: no test starts a worker to send mail
unless it tests the worker."""

from notifications import services
from notifications.models import OutboxMessage


def deliver_outbox() -> dict[str, int]:
    """Send every message due, as the worker's task would; returns the outcomes by kind."""
    pending = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).order_by("pk")
    return services.messages_send(message_ids=list(pending.values_list("pk", flat=True)))
