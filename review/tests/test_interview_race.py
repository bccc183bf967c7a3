"""The last seat, for real: twenty candidates booking a one-seat slot at the same instant on
PostgreSQL, each in a thread of its own with its own connection."""

import datetime as dt
import html
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review import interviews
from review.models import InterviewBooking
from review.tests.factories import at_interview, interview_slot
from testing.services import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)

CANDIDATES = 20
TAKEN = "Ce créneau vient d'être pris : choisissez-en un autre."


@pytest.fixture(autouse=True)
def postgresql_only():
    require_postgresql("the last-seat race needs row locks, hence PostgreSQL: set DATABASE_URL")


@pytest.fixture
def one_seat():
    mission = MissionFactory(reference="RACE9")
    slot = interview_slot(mission, starts_at=timezone.now() + dt.timedelta(days=3))
    applications = [at_interview(mission) for _ in range(CANDIDATES)]
    return slot, applications


def all_at_once(work, items) -> list:
    """Run ``work(item)`` for every item in threads released together; what each returned or
    raised, in order. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(items))
    results: list = [None] * len(items)

    def run(index, item):
        try:
            barrier.wait(timeout=10)
            results[index] = work(item)
        except BaseException as error:  # noqa: BLE001 -- returned to the test, asserted there
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, item)) for i, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a booking never finished"
    return results


def test_twenty_candidates_for_the_last_seat_make_one_booking_and_nineteen_clear_refusals(
    one_seat,
):
    slot, applications = one_seat

    def book(application):
        return interviews.slot_book(application=application, slot_id=slot.pk, now=timezone.now())

    results = all_at_once(book, applications)

    booked = [r for r in results if isinstance(r, InterviewBooking)]
    refused = [r for r in results if isinstance(r, interviews.BookingError)]
    assert (len(booked), len(refused)) == (1, CANDIDATES - 1), results
    assert {error.message for error in refused} == {TAKEN}
    slot.refresh_from_db()
    assert slot.booked == 1
    assert InterviewBooking.objects.get().application == booked[0].application
    assert OutboxMessage.objects.filter(to=booked[0].application.volunteer.user.email).count() == 1
    assert OutboxMessage.objects.count() == 1  # the candidate's invitation: no interviewer here


def test_twenty_requests_for_the_last_seat_get_one_booking_and_no_server_error(one_seat):
    slot, applications = one_seat

    def post(application):
        link = reverse("interviews:choose", args=[interviews.invitation_token(application)])
        response = Client().post(link, {"slot": slot.pk}, follow=True)
        return response.status_code, html.unescape(response.content.decode())

    results = all_at_once(post, applications)

    assert all(isinstance(r, tuple) for r in results), results
    statuses = sorted(status for status, _page in results)
    assert statuses == [200] + [409] * (CANDIDATES - 1)
    assert sum(TAKEN in page for _status, page in results) == CANDIDATES - 1
    assert sum("Votre entretien est réservé" in page for _status, page in results) == 1
    slot.refresh_from_db()
    assert (slot.booked, InterviewBooking.objects.count()) == (1, 1)
