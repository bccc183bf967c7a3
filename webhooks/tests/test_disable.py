"""An endpoint failing for three days is disabled, and staff told through the e-mail outbox."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import OutboxMessage
from volunteers.tests.factories import UserFactory
from webhooks import services
from webhooks.models import Delivery, Endpoint
from webhooks.tasks import sweep_deliveries
from webhooks.tests.conftest import make_delivery, make_endpoint
from webhooks.tests.receiver import Reply

pytestmark = pytest.mark.django_db


def failing_for(days: float, url: str) -> Endpoint:
    since = timezone.now() - dt.timedelta(days=days)
    return make_endpoint(url, failing_since=since)


def test_after_three_days_of_failures_the_endpoint_is_disabled_and_its_creator_told(
    local_receivers, receiver
):
    receiver.script = [Reply(500)]
    endpoint = failing_for(3.01, receiver.url)
    delivery, waiting = make_delivery(endpoint), make_delivery(endpoint)

    assert services.delivery_send(delivery_id=delivery.pk) == "retry"

    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at == pytest.approx(
        timezone.now(), abs=dt.timedelta(seconds=5)
    )
    waiting.refresh_from_db()
    assert waiting.state == Delivery.State.CANCELLED
    (message,) = OutboxMessage.objects.all()
    assert (message.to, message.template, message.state) == (
        "staff@example.org",
        "webhook_disabled",
        "pending",
    )
    assert message.context["name"] == "Partenaire"
    assert message.context["admin_url"].endswith(f"/admin/webhooks/endpoint/{endpoint.pk}/change/")
    # Disabled: nothing more is sent to it.
    assert services.delivery_send(delivery_id=waiting.pk) == "skipped"
    assert len(receiver.received) == 1


def test_two_days_of_failures_keep_the_endpoint(local_receivers, receiver):
    receiver.script = [Reply(500)]
    endpoint = failing_for(2, receiver.url)

    services.delivery_send(delivery_id=make_delivery(endpoint).pk)

    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_at is None
    assert not OutboxMessage.objects.exists()


def test_a_success_ends_the_failing_period(local_receivers, receiver):
    endpoint = failing_for(2.9, receiver.url)

    services.delivery_send(delivery_id=make_delivery(endpoint).pk)

    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.failing_since is None


def test_the_sweep_disables_a_failing_endpoint_and_tells_the_superusers_when_no_creator(
    local_receivers, receiver
):
    endpoint = failing_for(4, receiver.url)
    Endpoint.objects.filter(pk=endpoint.pk).update(created_by=None)
    UserFactory(email="root@example.org", is_superuser=True, is_staff=True)

    sweep_deliveries()

    endpoint.refresh_from_db()
    assert not endpoint.active
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["root@example.org"]
    sweep_deliveries()  # once only
    assert OutboxMessage.objects.count() == 1


def test_the_disabled_email_renders_in_french(local_receivers, receiver):
    from notifications.emails import render

    endpoint = failing_for(4, receiver.url)
    sweep_deliveries()

    email = render(OutboxMessage.objects.get())

    assert email.subject == "Webhook « Partenaire » désactivé"
    assert "échoue depuis 3 jours : il est désactivé" in email.body
    assert receiver.url in email.body
    assert endpoint.url == receiver.url
