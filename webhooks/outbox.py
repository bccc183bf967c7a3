"""Events written in the caller's transaction; sent by Celery once it commits.

As for e-mails (``notifications.outbox``): if the task is never queued (Redis down) or is
lost (a worker killed), the periodic sweep queues it again. The caller hands over ids and
public fields only: never a document, a date of birth or a candidate's address.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from webhooks.events import Event
from webhooks.models import Delivery, Endpoint


def emit(event: str, payload: dict[str, Any]) -> int:
    """One delivery per active endpoint subscribed to ``event``; returns how many."""
    return emit_many([(event, payload)])


def emit_many(events: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """``emit`` for several events (a bulk move), the endpoints read once for all."""
    events = list(events)
    for event, _payload in events:
        if event not in Event.values:
            raise ValueError(f"Unknown webhook event: {event}")
    if not events:
        return 0
    # A handful of endpoints: read them all rather than query a JSON list (SQLite cannot).
    endpoints = list(Endpoint.objects.filter(active=True))
    deliveries = Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event=event, payload=payload)
        for event, payload in events
        for endpoint in endpoints
        if event in endpoint.events
    )
    if deliveries:
        queue_after_commit([delivery.pk for delivery in deliveries])
    return len(deliveries)


def queue_after_commit(delivery_ids: list[int]) -> None:
    """Queue the sends once the caller's transaction commits; ``robust``: with Redis down the
    caller still succeeds, and the sweep sends later."""
    transaction.on_commit(lambda: queue(delivery_ids), robust=True)


def queue(delivery_ids: list[int]) -> None:
    from webhooks.tasks import send_delivery

    for delivery_id in delivery_ids:
        send_delivery.delay(delivery_id)
