"""The reminder the day before an interview: queued once per booking, even with two beats
running at once (PostgreSQL row locks), and again after a move to another time."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review import interviews
from review.models import InterviewBooking
from review.tasks import remind_interviews
from review.tests.factories import at_interview, interview_slot
from testing.services import require_postgresql


def book_in(mission, hours: float) -> InterviewBooking:
    slot = interview_slot(mission, starts_at=timezone.now() + dt.timedelta(hours=hours))
    return interviews.slot_book(
        application=at_interview(mission),
        slot_id=slot.pk,
        now=timezone.now() - dt.timedelta(days=5),
    )


def reminders() -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(template="interview_reminder").values_list("key", flat=True)
    )


@pytest.mark.django_db
def test_bookings_starting_within_a_day_are_reminded_once():
    mission = MissionFactory(reference="REM1")
    soon, later, past = book_in(mission, 20), book_in(mission, 30), book_in(mission, -1)

    assert remind_interviews() == 1
    assert remind_interviews() == 0

    assert reminders() == [f"interview-24h:{soon.pk}:0:candidate"]
    soon.refresh_from_db()
    assert soon.reminded_at is not None
    assert (
        InterviewBooking.objects.filter(pk__in=[later.pk, past.pk], reminded_at=None).count() == 2
    )
    message = OutboxMessage.objects.get(template="interview_reminder")
    assert message.to == soon.application.volunteer.user.email
    assert message.attachments[0]["filename"] == "invitation.ics"


@pytest.mark.django_db
def test_a_cancelled_booking_is_not_reminded():
    mission = MissionFactory(reference="REM2")
    booking = book_in(mission, 20)
    interviews.booking_cancel(application=booking.application, now=timezone.now(), by_staff=True)

    assert remind_interviews() == 0


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_remind_each_booking_once():
    require_postgresql("two beats at once need row locks, hence PostgreSQL: set DATABASE_URL")
    mission = MissionFactory(reference="REM3")
    bookings = [book_in(mission, 2 + i) for i in range(12)]
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def beat():
        try:
            barrier.wait(timeout=10)
            counts.append(interviews.interviews_remind(now=timezone.now()))
        except BaseException as error:  # noqa: BLE001 -- asserted in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == [] and sum(counts) == len(bookings)
    assert reminders() == sorted(f"interview-24h:{b.pk}:0:candidate" for b in bookings)
