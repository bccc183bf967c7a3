"""Webhooks: staff register endpoints; events are written in the caller's transaction and
POSTed, signed, by Celery once it commits (``webhooks.outbox``, ``webhooks.services``)."""

from collections.abc import Iterable
from typing import Any


def emit(event: str, payload: dict[str, Any]) -> int:
    """Record ``event`` for every active endpoint subscribed to it (``webhooks.outbox.emit``)."""
    from webhooks.outbox import emit as outbox_emit  # models are not ready at import time

    return outbox_emit(event, payload)


def emit_many(events: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Several events at once, the endpoints read once (``webhooks.outbox.emit_many``)."""
    from webhooks.outbox import emit_many as outbox_emit_many

    return outbox_emit_many(events)
