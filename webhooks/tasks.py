from celery import shared_task
from django.utils import timezone

from webhooks import services


@shared_task(acks_late=True, ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    """POST one webhook delivery (safe to run twice: it claims the row first)."""
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def sweep_deliveries() -> int:
    """Queue again the pending deliveries lost or due for a retry; disable failing endpoints."""
    from webhooks.outbox import queue

    now = timezone.now()
    services.endpoints_disable_failing(now=now)
    delivery_ids = services.due_for_sending(now)
    queue(delivery_ids)
    return len(delivery_ids)
