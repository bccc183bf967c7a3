"""Account e-mails (sign-up code, login code, password reset) with the SMTP server down, then
back: the candidate gets an answer at once, and the e-mail once, when the server is back."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from notifications.models import OutboxMessage
from testing.outbox import deliver_outbox
from testing.smtp import smtp_server_on
from volunteers.tests.factories import UserFactory
from volunteers.tests.test_accounts import code_in

pytestmark = pytest.mark.django_db


def waiting(address: str) -> OutboxMessage:
    (message,) = OutboxMessage.objects.filter(to=address)
    assert (message.state, message.attempts) == ("pending", 1)
    assert "refused" in message.last_error.lower()
    return message


def back_and_delivered(port: int, time_machine, address: str):
    """The SMTP server starts again; the retry, when due, sends the message once."""
    with smtp_server_on(port) as smtp:
        time_machine.move_to(timezone.now() + dt.timedelta(seconds=61), tick=False)
        assert deliver_outbox() == {"sent": 1}
        assert deliver_outbox() == {}  # nothing left: never sent twice
        (received,) = smtp.messages
    assert received["To"] == address
    return received


def test_sign_up_with_the_smtp_server_down(client, smtp_down, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    response = client.post("/accounts/signup/", {"email": "awa@example.org"})

    assert response.status_code == 302  # not 500
    page = client.get(response["Location"]).content.decode()
    assert "awa@example.org" in page and "code" in page
    assert deliver_outbox() == {"retry": 1}
    waiting("awa@example.org")

    received = back_and_delivered(smtp_down, time_machine, "awa@example.org")
    assert received["Content-Language"] == "fr"
    client.post(response["Location"], {"code": code_in(received)})
    assert EmailAddress.objects.get(email="awa@example.org").verified


def test_login_code_with_the_smtp_server_down(client, smtp_down, time_machine):
    UserFactory(email="moussa@example.org")
    time_machine.move_to(timezone.now(), tick=False)
    response = client.post("/accounts/login/code/", {"email": "moussa@example.org"})

    assert response.status_code == 302
    assert deliver_outbox() == {"retry": 1}
    waiting("moussa@example.org")

    received = back_and_delivered(smtp_down, time_machine, "moussa@example.org")
    client.post(response["Location"], {"code": code_in(received)})
    assert client.get("/me/").status_code == 200


def test_password_reset_with_the_smtp_server_down(client, smtp_down, time_machine):
    UserFactory(email="lea@example.org")
    time_machine.move_to(timezone.now(), tick=False)
    response = client.post("/en/accounts/password/reset/", {"email": "lea@example.org"})

    assert response.status_code == 302
    assert deliver_outbox() == {"retry": 1}
    waiting("lea@example.org")

    received = back_and_delivered(smtp_down, time_machine, "lea@example.org")
    assert received["Content-Language"] == "en"
    body = received.get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"/accounts/password/reset/key/\S+", body)


def test_a_code_that_expired_while_the_server_was_down_is_never_sent(
    client, smtp_down, time_machine
):
    UserFactory(email="moussa@example.org")
    time_machine.move_to(timezone.now(), tick=False)
    client.post("/accounts/login/code/", {"email": "moussa@example.org"})
    assert deliver_outbox() == {"retry": 1}

    with smtp_server_on(smtp_down) as smtp:
        time_machine.move_to(timezone.now() + dt.timedelta(minutes=4), tick=False)  # code: 3 min
        assert deliver_outbox() == {"expired": 1}
        assert smtp.messages == []
    (stale,) = OutboxMessage.objects.filter(to="moussa@example.org")
    assert (stale.state, stale.last_error) == ("cancelled", "expired before it could be sent")


def test_asking_again_replaces_the_code_still_waiting(client, smtp_down, time_machine):
    UserFactory(email="moussa@example.org")
    time_machine.move_to(timezone.now(), tick=False)
    client.post("/accounts/login/code/", {"email": "moussa@example.org"})
    first = OutboxMessage.objects.get(to="moussa@example.org")

    Client().post("/accounts/login/code/", {"email": "moussa@example.org"})  # asks again

    first.refresh_from_db()
    assert (first.state, first.last_error) == ("cancelled", "replaced by a newer message")
    with smtp_server_on(smtp_down) as smtp:
        assert deliver_outbox() == {"sent": 1}
        (received,) = smtp.messages
    assert code_in(received)
