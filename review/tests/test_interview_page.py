"""The candidate's interview page, by the signed link: the slots in the mission's zone, a
booking, and every refusal told in the candidate's language with nothing changed."""

import datetime as dt
import html
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar

from applications.models import Stage
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review.interviews import invitation_token
from review.models import InterviewBooking, InterviewSlot
from review.tests.factories import at_interview, interview_slot
from testing.clock import NOW
from testing.outbox import deliver_outbox
from testing.smtp import smtp_server_on
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")


@pytest.fixture
def mission():
    return MissionFactory(reference="ENT1", time_zone="Africa/Dakar", interview_cutoff_hours=24)


@pytest.fixture
def application(mission):
    return at_interview(mission)


@pytest.fixture
def slot(mission):
    interviewer = UserFactory(email="jury@example.org", is_staff=True)
    return interview_slot(mission, starts_at=in_days(3, 9), interviewers=[interviewer])


def in_days(count: int, hour: int) -> dt.datetime:
    day = timezone.now().astimezone(DAKAR).date() + dt.timedelta(days=count)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=DAKAR)


def url(application, language="fr") -> str:
    with translation.override(language):
        return reverse("interviews:choose", args=[invitation_token(application)])


def text(response) -> str:
    return html.unescape(response.content.decode())


def said(message: str, language: str, **params) -> str:
    """A refusal as the candidate reads it in their language (the catalogue's text)."""
    with translation.override(language):
        return _(message) % params if params else _(message)


def state() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        sorted(InterviewBooking.objects.values_list("pk", "slot_id", "state", "sequence")),
        sorted(InterviewSlot.objects.values_list("pk", "booked")),
        OutboxMessage.objects.count(),
    )


def test_the_page_lists_the_missions_open_slots_in_its_zone_for_the_browser_too(
    client, mission, application, slot
):
    interview_slot(mission, starts_at=in_days(3, 10), capacity=3)
    interview_slot(mission, starts_at=in_days(-1, 9))  # past
    interview_slot(mission, starts_at=timezone.now() + dt.timedelta(hours=5))  # after cut-off
    interview_slot(mission, starts_at=in_days(4, 9), booked=1)  # full
    interview_slot(MissionFactory(), starts_at=in_days(3, 11))  # another mission

    response = client.get(url(application))

    page = text(response)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert page.count('name="slot"') == 2
    assert "09:00 (Africa/Dakar)" in page and "10:00 (Africa/Dakar)" in page
    assert "3 places" in page
    assert f'data-local-time="{slot.starts_at.isoformat()}"' in page
    assert "js/local-time.js" in page
    assert "Heures données dans le fuseau de la mission (Africa/Dakar)" in page


def test_booking_a_slot_books_it_and_sends_the_invitations(client, application, slot):
    response = client.post(url(application), {"slot": slot.pk, "action": "book"}, follow=True)

    booking = InterviewBooking.objects.get()
    slot.refresh_from_db()
    assert (booking.slot, booking.state, booking.sequence, slot.booked) == (slot, "booked", 0, 1)
    assert "Votre entretien est réservé" in text(response)
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        [application.volunteer.user.email, "jury@example.org"]
    )
    assert "Annuler cet entretien" in text(response)
    assert ", 09:00</strong> (Africa/Dakar)" in text(response)  # the mission's zone, not Paris


def test_the_candidate_moves_then_cancels_before_the_cut_off(client, mission, application, slot):
    other = interview_slot(mission, starts_at=in_days(5, 9))
    client.post(url(application), {"slot": slot.pk})
    client.post(url(application), {"slot": other.pk})
    response = client.post(url(application), {"action": "cancel"}, follow=True)

    booking = InterviewBooking.objects.get()
    assert (booking.state, booking.sequence) == ("cancelled", 2)
    assert sorted(InterviewSlot.objects.values_list("booked", flat=True)) == [0, 0]
    assert "Votre entretien est annulé" in text(response)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_tampered_link_is_refused(client, application, language):
    before = state()
    link = url(application, language).rstrip("/") + "x/"

    for response in (client.get(link), client.post(link, {"slot": 1})):
        assert response.status_code == 400
        expected = "Ce lien n'est pas valide : copiez-le en entier depuis l'e-mail reçu."
        assert said(expected, language) in text(response)
        assert f'lang="{language}"' in text(response)
    assert state() == before


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_expired_link_is_refused(client, application, slot, language, time_machine):
    link = url(application, language)
    time_machine.move_to(NOW + dt.timedelta(days=61), tick=False)
    before = state()

    for response in (client.get(link), client.post(link, {"slot": slot.pk})):
        assert response.status_code == 400
        expected = "Ce lien a expiré : écrivez à l'équipe de recrutement pour en recevoir un autre."
        assert said(expected, language) in text(response)
    assert state() == before


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_link_of_an_application_no_longer_at_interview_is_refused(client, application, language):
    application.stage = Stage.SELECTED
    application.save(update_fields=["stage"])

    response = client.get(url(application, language))

    assert response.status_code == 400
    assert said("Cette candidature n'est plus à l'étape de l'entretien.", language) in text(
        response
    )


def refused_slot(mission, case: str) -> InterviewSlot:
    if case == "another mission":
        return interview_slot(MissionFactory(), starts_at=in_days(3, 9))
    if case == "past":
        return interview_slot(mission, starts_at=timezone.now() - dt.timedelta(hours=1))
    if case == "after the cut-off":
        return interview_slot(mission, starts_at=timezone.now() + dt.timedelta(hours=23))
    return interview_slot(mission, starts_at=in_days(3, 9), booked=1)  # the last seat taken


REFUSALS = {
    "another mission": ("Ce créneau n'existe pas pour cette mission.", {}),
    "past": ("Ce créneau est passé : choisissez-en un autre.", {}),
    "after the cut-off": (
        "Ce créneau est trop proche : les réservations ferment %(hours)s heures avant.",
        {"hours": 24},
    ),
    "last seat taken": ("Ce créneau vient d'être pris : choisissez-en un autre.", {}),
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("case", REFUSALS)
def test_a_slot_that_cannot_be_booked_is_refused(client, mission, application, case, language):
    slot = refused_slot(mission, case)
    before = state()

    response = client.post(url(application, language), {"slot": slot.pk})

    message, params = REFUSALS[case]
    assert response.status_code == 409
    assert said(message, language, **params) in text(response)
    assert f'lang="{language}"' in text(response)
    assert state() == before


@pytest.mark.parametrize("language", ["fr", "en"])
def test_moving_or_cancelling_after_the_cut_off_is_refused(
    client, mission, application, language, time_machine
):
    slot = interview_slot(mission, starts_at=timezone.now() + dt.timedelta(hours=30))
    other = interview_slot(mission, starts_at=in_days(5, 9))
    client.post(url(application), {"slot": slot.pk})
    time_machine.move_to(timezone.now() + dt.timedelta(hours=8), tick=False)
    before = state()

    for data in ({"slot": other.pk}, {"action": "cancel"}):
        response = client.post(url(application, language), data)
        assert response.status_code == 409
        message = (
            "Votre entretien est dans moins de %(hours)s heures : pour le déplacer ou "
            "l'annuler, écrivez à l'équipe de recrutement."
        )
        assert said(message, language, hours=24) in text(response)
    assert state() == before


def test_a_form_without_a_slot_asks_to_choose_one(client, application, slot):
    before = state()

    response = client.post(url(application), {"slot": "abc"})

    assert response.status_code == 409
    assert "Choisissez un créneau." in text(response)
    assert state() == before


def test_robots_keep_crawlers_away_from_the_interview_links(client):
    robots = client.get("/robots.txt").content.decode().splitlines()

    assert "Disallow: /entretien/" in robots
    assert "Disallow: /en/entretien/" in robots


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
