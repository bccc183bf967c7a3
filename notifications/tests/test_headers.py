"""A message's own headers (List-Unsubscribe): stored with it, filled from its context when
the e-mail is built, and never sent with a secret already blanked."""

import pytest

from notifications import outbox, services
from notifications.emails import render
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

HEADERS = {
    "List-Unsubscribe": "<{unsubscribe_url}>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}
CONTEXT = {
    "application_id": 1,
    "application_reference": "3S1284-0042",
    "mission_reference": "3S1284",
    "mission_title": "Chargé·e de mission",
    "subject": "3S1284 – Chargé·e de mission",
    "url": "http://127.0.0.1:8000/me/",
    "unsubscribe_url": "https://volontiers.example.org/alertes/desabonner/abc/",
}


def message(headers=HEADERS) -> OutboxMessage:
    draft = outbox.Draft(
        key="with-headers:1",
        to="awa@example.org",
        template="application_submitted",
        context=CONTEXT,
        language="fr",
        secrets=("unsubscribe_url",),
        headers=headers,
    )
    return outbox.enqueue(draft)


def test_the_headers_are_kept_as_given_and_filled_from_the_context_when_built():
    stored = message()

    assert stored.headers == HEADERS  # the link itself stays in the context only
    built = render(stored).message()
    assert built["List-Unsubscribe"] == "<https://volontiers.example.org/alertes/desabonner/abc/>"
    assert built["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_message_without_headers_has_none_of_them():
    built = render(message(headers={})).message()

    assert built["List-Unsubscribe"] is None


def test_the_headers_reach_the_smtp_server_and_the_link_is_blanked_once_sent(mail_via_smtp):
    stored = message()

    assert services.message_send(message_id=stored.pk) == "sent"

    (received,) = mail_via_smtp.messages
    assert (
        received["List-Unsubscribe"] == "<https://volontiers.example.org/alertes/desabonner/abc/>"
    )
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stored.refresh_from_db()
    assert stored.context["unsubscribe_url"] == outbox.SCRUBBED
    assert "List-Unsubscribe" not in render(stored).message()  # a dead link is never sent


def test_enqueue_many_keeps_the_headers():
    draft = outbox.Draft(
        key="with-headers:2",
        to="awa@example.org",
        template="application_submitted",
        context=CONTEXT,
        language="fr",
        headers=HEADERS,
    )
    outbox.enqueue_many([draft])

    assert OutboxMessage.objects.get(key="with-headers:2").headers == HEADERS
