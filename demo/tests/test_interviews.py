"""The demo's interviews and training: slots for the coordinated mission (3S1329), its
candidate at the interview stage booked, a training session ending before the mission."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from applications.models import Stage
from missions.models import Mission, TrainingSession
from notifications.models import OutboxMessage
from review.models import InterviewBooking, InterviewSlot

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    return (
        sorted(InterviewSlot.objects.values_list("pk", "starts_at", "capacity", "booked")),
        sorted(InterviewBooking.objects.values_list("pk", "slot_id", "state", "sequence")),
        sorted(TrainingSession.objects.values_list("pk", "starts_on", "ends_on")),
    )


def test_the_coordinated_mission_has_slots_some_booked_and_a_training_session():
    output = demo()

    mission = Mission.objects.get(reference="3S1329")
    slots = InterviewSlot.objects.filter(mission=mission)
    assert slots.count() >= 4 and {s.time_zone for s in slots} == {"Pacific/Efate"}
    assert {s.local_start.hour for s in slots} <= {9, 10, 14}
    assert slots.filter(booked__gt=0).exists() and slots.filter(booked=0).exists()
    at_interview = mission.applications.filter(stage=Stage.INTERVIEW)
    assert at_interview.exists()
    for application in at_interview:
        assert application.interview_bookings.filter(state="booked").exists()
        assert OutboxMessage.objects.filter(
            key__startswith="interview:", to=application.volunteer.user.email
        ).exists()
    [session] = TrainingSession.objects.filter(mission=mission)
    assert session.ends_on < mission.start_date
    assert f"Interviews of 3S1329: {at_interview.count()} booked." in output


def test_running_demo_twice_changes_no_slot_booking_or_session(time_machine):
    demo()
    before = snapshot()
    time_machine.shift(dt.timedelta(days=2))

    output = demo()

    assert snapshot() == before
    assert "Interviews of 3S1329: 0 booked." in output


def test_a_reset_gives_the_seats_back_and_the_next_load_books_again():
    demo()
    demo("--reset")

    assert not InterviewBooking.objects.exists()
    assert set(InterviewSlot.objects.values_list("booked", flat=True)) == {0}

    demo()
    assert InterviewBooking.objects.filter(state="booked").count() == sum(
        InterviewSlot.objects.values_list("booked", flat=True)
    )
