"""Two beats at once (two threads, each with its own PostgreSQL connection): every alert gets
exactly one digest, and each mission once."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from alerts import services
from alerts.models import SentMission
from alerts.tests.factories import confirmed_alert, published_mission
from notifications.models import OutboxMessage
from testing.services import require_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_runs_at_once_send_one_digest_per_alert_and_each_mission_once():
    require_postgresql("skip_locked needs PostgreSQL")
    assert connection.vendor == "postgresql"
    alerts = [confirmed_alert(f"abonne{i}@example.org") for i in range(20)]
    missions = [published_mission(reference=f"M{i}") for i in range(3)]
    now = timezone.now()
    start = threading.Barrier(2)
    written: list[int] = []
    errors: list[BaseException] = []

    def beat() -> None:
        try:
            start.wait()
            written.append(services.alerts_send_digests(now=now))
        except BaseException as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(written) == len(alerts)
    digests = OutboxMessage.objects.filter(template="alert_digest")
    assert sorted(digests.values_list("to", flat=True)) == sorted(a.email for a in alerts)
    assert SentMission.objects.count() == len(alerts) * len(missions)
    assert services.alerts_send_digests(now=now) == 0
