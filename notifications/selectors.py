"""What the outbox can tell others without their touching its models: its health."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Min

from notifications.models import OutboxMessage


def outbox_health(*, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Messages written in [start, end) by state, and the outbox's state now: how many wait
    to be sent, since when, and how many failed for good (all of them, whatever their age)."""
    written = dict(
        OutboxMessage.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
    )
    pending = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).aggregate(
        n=Count("id"), oldest=Min("created_at")
    )
    return {
        "written": {state: written.get(state, 0) for state in OutboxMessage.State.values},
        "pending": pending["n"],
        "oldest_pending": pending["oldest"],
        "failed": OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).count(),
    }
