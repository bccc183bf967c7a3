"""manage.py outbox_status: the e-mail backlog, for operators and monitoring.

Prints how many messages are pending, failed and sent, and how old the oldest pending one
is; exits with status 1 when that one is older than ``--max-age`` seconds, so a monitoring
check (Nagios, a cron job, a load balancer script) can alert on mail that is stuck.
"""

import datetime as dt
import json
from typing import Any, TypedDict

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Min, Q
from django.utils import timezone

from notifications.models import OutboxMessage


class OutboxStatus(TypedDict):
    pending: int
    failed: int
    sent: int
    oldest_pending_created_at: str | None
    oldest_pending_age_seconds: int | None


def outbox_status(*, now: dt.datetime) -> OutboxStatus:
    """Count the messages by state and age the oldest pending one, in one query."""
    pending = Q(state=OutboxMessage.State.PENDING)
    totals = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=pending),
        failed=Count("pk", filter=Q(state=OutboxMessage.State.FAILED)),
        sent=Count("pk", filter=Q(state=OutboxMessage.State.SENT)),
        oldest=Min("created_at", filter=pending),
    )
    oldest: dt.datetime | None = totals["oldest"]
    return {
        "pending": totals["pending"],
        "failed": totals["failed"],
        "sent": totals["sent"],
        "oldest_pending_created_at": oldest.isoformat() if oldest else None,
        "oldest_pending_age_seconds": int((now - oldest).total_seconds()) if oldest else None,
    }


class Command(BaseCommand):
    help = "Report the e-mail outbox backlog; exit 1 when the oldest pending message is too old."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the status as JSON")
        parser.add_argument(
            "--max-age",
            type=int,
            default=900,
            help="seconds a pending message may wait before the status is an error (900)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        status = outbox_status(now=timezone.now())
        age, max_age = status["oldest_pending_age_seconds"], options["max_age"]
        late = age is not None and age > max_age
        if options["json"]:
            report = {**status, "max_age_seconds": max_age, "ok": not late}
            self.stdout.write(json.dumps(report))
        else:
            oldest = (
                f"{age} s ({status['oldest_pending_created_at']})" if age is not None else "none"
            )
            self.stdout.write(f"pending: {status['pending']}")
            self.stdout.write(f"failed: {status['failed']}")
            self.stdout.write(f"sent: {status['sent']}")
            self.stdout.write(f"oldest pending: {oldest}")
        if late:
            raise CommandError(
                f"the oldest pending message is {age} s old (limit {max_age} s)", returncode=1
            )
