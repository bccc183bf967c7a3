from celery import shared_task
from django.utils import timezone

from notifications import services


@shared_task(acks_late=True, ignore_result=True)
def send_message(message_id: int) -> str:
    """Send one outbox message (safe to run twice: it locks the row and checks its state)."""
    return services.message_send(message_id=message_id)


@shared_task(acks_late=True, ignore_result=True)
def send_messages(message_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox messages over one SMTP connection (reminders, the sweep)."""
    return services.messages_send(message_ids=message_ids)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Queue again the pending messages whose task never ran, was lost, or must be retried."""
    from notifications.outbox import queue

    message_ids = services.due_for_sending(timezone.now())
    queue(message_ids)
    return len(message_ids)
