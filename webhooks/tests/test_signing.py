"""The signature a receiver checks, computed here independently from docs/webhooks.md."""

import hashlib
import hmac
import json
import time

import pytest

from webhooks import services
from webhooks.models import Delivery
from webhooks.tests.conftest import make_delivery, make_endpoint

pytestmark = pytest.mark.django_db

TOLERANCE = 300  # seconds: the documented window


def verify(headers: dict[str, str], body: bytes, secret: str, now: float) -> bool:
    """The receiver of docs/webhooks.md, written again here."""
    timestamp = headers["Volontiers-Webhook-Timestamp"]
    if abs(now - int(timestamp)) > TOLERANCE:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    signature = headers["Volontiers-Webhook-Signature"]
    return hmac.compare_digest(signature, "v1=" + expected.hexdigest())


def test_a_delivery_is_signed_and_a_receiver_verifies_it(local_receivers, receiver):
    endpoint = make_endpoint(receiver.url)
    delivery = make_delivery(endpoint)

    assert services.delivery_send(delivery_id=delivery.pk) == "sent"

    (request,) = receiver.received
    assert request.path == "/hook"
    assert request.headers["Volontiers-Webhook-Id"] == str(delivery.event_id)
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert verify(request.headers, request.body, endpoint.secret, now=time.time())
    document = json.loads(request.body)
    assert document["id"] == str(delivery.event_id)
    assert document["event"] == "mission.published"
    assert document["data"]["reference"] == "3S1284"
    assert abs(int(request.headers["Volontiers-Webhook-Timestamp"]) - time.time()) < 5
    sent = Delivery.objects.get()
    assert (sent.state, sent.attempts, sent.last_status_code) == ("sent", 1, 200)


def test_the_receiver_refuses_a_replay_a_tampered_body_and_another_secret(
    local_receivers, receiver
):
    endpoint = make_endpoint(receiver.url)
    services.delivery_send(delivery_id=make_delivery(endpoint).pk)
    (request,) = receiver.received
    timestamp = int(request.headers["Volontiers-Webhook-Timestamp"])

    assert verify(request.headers, request.body, endpoint.secret, now=timestamp + TOLERANCE)
    # The same request replayed more than five minutes later: refused.
    assert not verify(request.headers, request.body, endpoint.secret, now=timestamp + 301)
    tampered = request.body.replace(b"3S1284", b"3S9999")
    assert not verify(request.headers, tampered, endpoint.secret, now=timestamp)
    assert not verify(request.headers, request.body, "another secret", now=timestamp)
    # An old timestamp cannot be swapped in: it is part of what is signed.
    moved = {**request.headers, "Volontiers-Webhook-Timestamp": str(timestamp + 600)}
    assert not verify(moved, request.body, endpoint.secret, now=timestamp + 600)


def test_each_endpoint_has_its_own_secret_generated_by_the_server(local_receivers, receiver):
    first, second = make_endpoint(receiver.url), make_endpoint(receiver.url)

    assert len(first.secret) == 64 and first.secret != second.secret
