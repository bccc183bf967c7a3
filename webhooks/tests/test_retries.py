"""Retries: a receiver failing, slow or down is tried again later, with growing delays."""

import datetime as dt

import pytest
from django.utils import timezone

from webhooks import services
from webhooks.models import Delivery
from webhooks.tasks import sweep_deliveries
from webhooks.tests.conftest import make_delivery, make_endpoint
from webhooks.tests.receiver import Reply

pytestmark = pytest.mark.django_db


def send_when_due(delivery: Delivery, time_machine) -> str:
    """Move the clock to the delivery's next attempt, then send it as the task would."""
    delivery.refresh_from_db()
    if delivery.next_attempt_at is not None:
        time_machine.move_to(delivery.next_attempt_at, tick=True)
    return services.delivery_send(delivery_id=delivery.pk)


def test_twice_500_then_200_ends_sent_after_three_attempts_with_growing_delays(
    local_receivers, receiver, time_machine
):
    receiver.script = [Reply(500), Reply(500), Reply(200)]
    delivery = make_delivery(make_endpoint(receiver.url))

    delays = []
    assert services.delivery_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert "500" in delivery.last_error
    delays.append(delivery.next_attempt_at - timezone.now())
    # Not due yet: a second task (or the sweep) sends nothing.
    assert services.delivery_send(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.received) == 1

    assert send_when_due(delivery, time_machine) == "retry"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 500)
    delays.append(delivery.next_attempt_at - timezone.now())

    assert send_when_due(delivery, time_machine) == "sent"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("sent", 3, 200)
    assert delivery.last_error == "" and delivery.next_attempt_at is None
    # 60 s, then 120 s (less the few milliseconds the test took).
    assert dt.timedelta(seconds=55) < delays[0] <= dt.timedelta(seconds=60)
    assert dt.timedelta(seconds=115) < delays[1] <= dt.timedelta(seconds=120)
    assert [r.headers["Volontiers-Webhook-Id"] for r in receiver.received] == [
        str(delivery.event_id)
    ] * 3
    assert delivery.endpoint.__class__.objects.get().failing_since is None


def test_a_receiver_slower_than_the_timeout_is_retried_and_not_sent_twice(
    local_receivers, receiver, settings, time_machine
):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.5
    receiver.script = [Reply(200, delay=2)]
    delivery = make_delivery(make_endpoint(receiver.url))

    assert services.delivery_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.state == "pending" and "timed out" in delivery.last_error
    assert delivery.last_status_code is None

    assert send_when_due(delivery, time_machine) == "sent"
    settings.WEBHOOKS_SWEEP_AFTER_SECONDS = 0
    assert sweep_deliveries() == 0  # nothing left to send
    assert services.delivery_send(delivery_id=delivery.pk) == "skipped"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert len(receiver.received) == 2  # the slow attempt and the retry, the same event id
    assert len({r.headers["Volontiers-Webhook-Id"] for r in receiver.received}) == 1


def test_a_receiver_down_is_retried_later(local_receivers, receiver):
    url = receiver.url
    receiver.stop()  # nothing listens on its port any more
    delivery = make_delivery(make_endpoint(url))

    assert services.delivery_send(delivery_id=delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert delivery.state == "pending" and "ConnectionRefusedError" in delivery.last_error
    assert delivery.endpoint.failing_since is not None


def test_the_last_attempt_fails_the_delivery(local_receivers, receiver, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    receiver.script = [Reply(503)]
    delivery = make_delivery(make_endpoint(receiver.url))

    assert services.delivery_send(delivery_id=delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_status_code, delivery.next_attempt_at) == (
        "failed",
        503,
        None,
    )


def test_backoff_grows_and_is_capped(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS, settings.WEBHOOKS_RETRY_MAX_SECONDS = 60, 3600

    delays = [services.retry_delay(n).total_seconds() for n in range(1, 9)]

    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]
