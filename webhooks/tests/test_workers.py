"""Two real worker processes racing on the same deliveries: each event reaches the receiver
once. The workers share the test database (PostgreSQL) and the suite's private Redis."""

import pytest
from django.db import transaction

from testing.celery_processes import CeleryWorker
from testing.services import spare_port, wait_for
from webhooks import emit
from webhooks.events import Event
from webhooks.models import Delivery
from webhooks.outbox import queue
from webhooks.tasks import sweep_deliveries
from webhooks.tests.conftest import make_endpoint
from webhooks.tests.receiver import Reply

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_clock]

EVENTS = 40


@pytest.fixture
def two_workers(postgresql_database, broker, tmp_path, monkeypatch, settings):
    """Two solo workers allowed to reach the test's receiver on 127.0.0.1 over http."""
    monkeypatch.setenv("WEBHOOKS_ALLOW_HTTP", "1")
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "1")
    settings.WEBHOOKS_SWEEP_AFTER_SECONDS = 0
    workers = [CeleryWorker(broker.url, spare_port(), tmp_path / f"worker{n}.log") for n in (1, 2)]
    for worker in workers:
        worker.start()
    yield workers
    for worker in workers:
        worker.stop()


def test_two_workers_send_each_event_exactly_once(two_workers, receiver):
    receiver.script = [Reply(200, delay=0.05) for _ in range(EVENTS)]  # long enough to overlap
    make_endpoint(receiver.url)
    with transaction.atomic():
        for n in range(EVENTS):
            emit(Event.MISSION_PUBLISHED, {"reference": f"3S{n:04d}"})
    ids = list(Delivery.objects.values_list("pk", flat=True))
    queue(ids)  # every delivery queued a second time…
    queue(ids)  # …and a third…
    sweep_deliveries()  # …and by the sweep: the workers race on each

    wait_for(
        lambda: Delivery.objects.filter(state="sent").count() == EVENTS,
        timeout=60,
        message="every delivery sent",
    )
    seen = [r.headers["Volontiers-Webhook-Id"] for r in receiver.received]
    assert len(seen) == EVENTS and len(set(seen)) == EVENTS
    assert set(seen) == {str(i) for i in Delivery.objects.values_list("event_id", flat=True)}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    logs = [w.log.read_text() for w in two_workers]
    assert all("webhooks.tasks.send_delivery" in log for log in logs), "both workers took part"
