"""Staff register endpoints and read the delivery log in the admin; "send again" retries."""

import pytest
from django.urls import reverse

from volunteers.models import User
from webhooks.models import Delivery, Endpoint
from webhooks.tests.conftest import make_delivery, make_endpoint

pytestmark = pytest.mark.django_db

ADD = reverse("admin:webhooks_endpoint_add")


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser(email="manager@example.org", password="x")
    client.force_login(user)
    return user


def test_registering_a_private_address_is_refused_with_the_message(client, staff, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    response = client.post(
        ADD,
        {
            "name": "Interne",
            "url": "https://169.254.169.254/",
            "events": ["mission.published"],
            "active": "on",
        },
    )

    assert response.status_code == 200
    assert (
        "Cette adresse mène à un réseau privé ou réservé (169.254.169.254)"
        in response.content.decode()
    )
    assert not Endpoint.objects.exists()


def test_staff_register_an_endpoint_and_see_its_secret(client, staff, local_receivers, receiver):
    response = client.post(
        ADD,
        {
            "name": "CRM",
            "url": receiver.url,
            "events": ["mission.published", "application.submitted"],
            "active": "on",
        },
    )

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["mission.published", "application.submitted"]
    assert endpoint.created_by == staff and len(endpoint.secret) == 64
    page = client.get(
        reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    ).content.decode()
    assert endpoint.secret in page
    assert f"?endpoint__id__exact={endpoint.pk}" in page  # the delivery log


def test_send_again_queues_a_new_attempt_with_the_same_event_id(
    client, staff, local_receivers, receiver, django_capture_on_commit_callbacks
):
    delivery = make_delivery(
        make_endpoint(receiver.url), state="failed", attempts=20, last_error="500"
    )
    changelist = reverse("admin:webhooks_delivery_changelist")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            changelist, {"action": "send_again", "_selected_action": [delivery.pk]}, follow=True
        )

    assert "1 envoi remis en file." in response.content.decode()
    assert len(callbacks) == 1
    from webhooks import services

    assert services.delivery_send(delivery_id=delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 21)
    (request,) = receiver.received
    assert request.headers["Volontiers-Webhook-Id"] == str(delivery.event_id)


def test_the_delivery_log_is_read_only(client, staff):
    delivery = make_delivery(make_endpoint("https://hooks.example.org/"))

    assert client.get(reverse("admin:webhooks_delivery_changelist")).status_code == 200
    page = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200 and 'name="payload"' not in page.content.decode()
    assert client.get(reverse("admin:webhooks_delivery_add")).status_code == 403
    assert Delivery.objects.count() == 1
