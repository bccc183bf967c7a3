"""A booking with the SMTP server down: it stands at once, and the calendar invitations
leave once the server is back, each once."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from notifications.models import OutboxMessage
from review.models import InterviewBooking
from review.tests.test_interview_page import application, mission, slot, url  # noqa: F401
from testing.outbox import deliver_outbox
from testing.smtp import smtp_server_on
from volunteers.tests.test_account_mail import smtp_down  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_booking_stands_while_smtp_is_down_and_its_invitations_follow(
    client,
    application,
    slot,
    smtp_down,
    time_machine,
):
    response = client.post(url(application), {"slot": slot.pk, "action": "book"}, follow=True)

    assert response.status_code == 200
    assert "Votre entretien est réservé" in response.content.decode()
    assert InterviewBooking.objects.get().state == InterviewBooking.State.BOOKED
    assert deliver_outbox() == {"retry": 2}  # the candidate's and the interviewer's
    waiting = OutboxMessage.objects.filter(state="pending")
    assert sorted(waiting.values_list("attempts", flat=True)) == [1, 1]
    assert all("refused" in error.lower() for error in waiting.values_list("last_error", flat=True))

    with smtp_server_on(smtp_down) as smtp:
        time_machine.move_to(timezone.now() + dt.timedelta(seconds=61), tick=False)
        assert deliver_outbox() == {"sent": 2}
        assert deliver_outbox() == {}
        received = {message["To"]: message for message in smtp.messages}

    assert sorted(received) == sorted([application.volunteer.user.email, "jury@example.org"])
    for message in received.values():
        (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
        assert int(event["SEQUENCE"]) == 0
