"""A seat held by an application that left the interview stage before its slot is given
back: at once after a staff move, and by the reminders' run after a withdrawal."""

import pytest
from django.contrib.auth.models import Group

from applications import services as application_services
from applications.models import Application, RefusalReason, Stage
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review import interviews, services, tasks
from review.models import InterviewBooking
from review.roles import MANAGERS
from review.tests.factories import at_interview, interview_slot
from testing.clock import NOW, at
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked():
    mission = MissionFactory(reference="SEAT1")
    interviewer = UserFactory(email="juge@example.org", is_staff=True)
    slot = interview_slot(mission, starts_at=at(5, 9), interviewers=[interviewer])
    application = at_interview(mission)
    interviews.slot_book(application=application, slot_id=slot.pk, now=NOW)
    return application, slot


def cancellations() -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(template="interview_cancelled").values_list("to", flat=True)
    )


def test_a_withdrawal_gives_the_seat_back_at_the_next_reminders_run(booked):
    application, slot = booked
    application_services.application_withdraw(
        application_id=application.pk, by=application.volunteer.user
    )

    tasks.remind_interviews()

    slot.refresh_from_db()
    assert slot.booked == 0
    assert InterviewBooking.objects.get().state == InterviewBooking.State.CANCELLED
    assert cancellations() == ["juge@example.org"]  # the candidate withdrew: no e-mail to them
    assert not OutboxMessage.objects.filter(template="interview_reminder").exists()


def test_a_staff_decision_before_the_slot_gives_the_seat_back_at_once(booked):
    application, slot = booked
    manager = UserFactory(email="cheffe@example.org", is_staff=True)
    manager.groups.add(Group.objects.get(name=MANAGERS))

    services.applications_move_stage(
        application_ids=[application.pk],
        to_stage="rejected",
        acting_user=manager,
        reason=RefusalReason.objects.first(),
    )

    slot.refresh_from_db()
    assert slot.booked == 0
    assert cancellations() == ["juge@example.org"]


def test_an_interview_already_held_is_left_as_it_was(booked):
    application, slot = booked
    Application.objects.filter(pk=application.pk).update(stage=Stage.SELECTED)  # decided after

    released = interviews.seats_release(now=at(6, 9))  # the day after the interview

    slot.refresh_from_db()
    assert (released, slot.booked) == (0, 1)
