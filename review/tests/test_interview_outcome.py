"""After the interview, the interviewer records whether the candidate came and their opinion
and scores on the mission's criteria: a review of the application, one per reviewer."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from applications.models import DEFAULT_CRITERIA, Review
from missions.tests.factories import MissionFactory
from review import interviews
from review.roles import REVIEWERS
from review.tests.factories import at_interview, interview_slot
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviewer():
    user = UserFactory(email="ana@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def booking_at(interviewer, hours: float):
    """A booking whose slot starts ``hours`` from now (before now when negative)."""
    mission = MissionFactory(reference="OUT1")
    starts_at = timezone.now() + dt.timedelta(hours=hours)
    slot = interview_slot(mission, starts_at=starts_at, interviewers=[interviewer])
    application = at_interview(mission)
    return interviews.slot_book(
        application=application, slot_id=slot.pk, now=starts_at - dt.timedelta(days=5)
    )


def outcome_url(booking) -> str:
    return reverse("admin:review_interviewbooking_outcome", args=[booking.pk])


def scores(value: int) -> dict[str, int]:
    return {f"score_{code}": value for code in DEFAULT_CRITERIA}


def test_the_interviewer_records_attendance_and_a_review(client, interviewer):
    booking = booking_at(interviewer, -2)
    client.force_login(interviewer)

    assert client.get(outcome_url(booking)).status_code == 200
    response = client.post(
        outcome_url(booking), {"attended": "yes", **scores(4), "comment": "Très clair."}
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.attended, booking.outcome_by) == (True, interviewer)
    review = Review.objects.get()
    assert (review.application, review.reviewer) == (booking.application, interviewer)
    assert (review.scores, review.comment) == ({c: 4 for c in DEFAULT_CRITERIA}, "Très clair.")


def test_recording_again_updates_the_same_review(client, interviewer):
    booking = booking_at(interviewer, -2)
    client.force_login(interviewer)
    client.post(outcome_url(booking), {"attended": "yes", **scores(2), "comment": "a"})
    client.post(outcome_url(booking), {"attended": "yes", **scores(5), "comment": "b"})

    review = Review.objects.get()
    assert (set(review.scores.values()), review.comment) == ({5}, "b")


def test_a_no_show_needs_no_scores_and_makes_no_review(client, interviewer):
    booking = booking_at(interviewer, -2)
    client.force_login(interviewer)

    response = client.post(outcome_url(booking), {"attended": "no"})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.attended is False
    assert not Review.objects.exists()


def test_an_interview_not_yet_started_cannot_be_recorded(client, interviewer):
    booking = booking_at(interviewer, 3)
    client.force_login(interviewer)

    response = client.post(outcome_url(booking), {"attended": "yes", **scores(3)})

    assert response.status_code == 200
    assert "pas encore commencé" in response.content.decode()
    booking.refresh_from_db()
    assert booking.attended is None and not Review.objects.exists()


def test_scores_are_required_for_a_candidate_who_came(client, interviewer):
    booking = booking_at(interviewer, -2)
    client.force_login(interviewer)

    response = client.post(outcome_url(booking), {"attended": "yes"})

    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.attended is None


def test_staff_without_the_review_permission_are_refused(client, interviewer):
    booking = booking_at(interviewer, -2)
    client.force_login(UserFactory(is_staff=True))

    assert client.get(outcome_url(booking)).status_code == 403
