"""manage.py outbox_status: counts by state, the oldest pending message, and a monitoring exit code."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from notifications import outbox
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def message(key: str) -> OutboxMessage:
    return outbox.enqueue(
        outbox.Draft(
            key=key,
            to="awa@example.org",
            template="application_submitted",
            context={"application_reference": "3S1284-0042"},
            language="fr",
        )
    )


def outbox_status(*args: str) -> str:
    out = StringIO()
    call_command("outbox_status", *args, stdout=out)
    return out.getvalue()


def test_an_empty_outbox_is_reported_as_healthy():
    assert outbox_status().splitlines() == [
        "pending: 0",
        "failed: 0",
        "sent: 0",
        "oldest pending: none",
    ]


def test_messages_are_counted_by_state_with_the_age_of_the_oldest_pending_one(time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    oldest = message("confirmation:1")
    OutboxMessage.objects.filter(pk=message("confirmation:2").pk).update(state="sent")
    OutboxMessage.objects.filter(pk=message("confirmation:3").pk).update(state="failed")
    time_machine.shift(dt.timedelta(minutes=5))
    message("confirmation:4")
    time_machine.shift(dt.timedelta(minutes=5))

    report = json.loads(outbox_status("--json"))

    assert report == {
        "pending": 2,
        "failed": 1,
        "sent": 1,
        "oldest_pending_created_at": oldest.created_at.isoformat(),
        "oldest_pending_age_seconds": 600,
        "max_age_seconds": 900,
        "ok": True,
    }
    assert "oldest pending: 600 s" in outbox_status()


def test_a_pending_message_older_than_max_age_makes_the_command_fail(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    message("confirmation:1")
    time_machine.shift(dt.timedelta(seconds=901))

    with pytest.raises(CommandError, match="901 s old") as failure:
        outbox_status()
    assert failure.value.returncode == 1
    assert "oldest pending: 901 s" in outbox_status("--max-age", "1000")


def test_old_sent_and_failed_messages_do_not_make_the_command_fail(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    OutboxMessage.objects.filter(pk=message("confirmation:1").pk).update(state="sent")
    OutboxMessage.objects.filter(pk=message("confirmation:2").pk).update(state="failed")
    time_machine.shift(dt.timedelta(days=2))

    report = json.loads(outbox_status("--json", "--max-age", "60"))

    assert (report["ok"], report["oldest_pending_age_seconds"]) == (True, None)
