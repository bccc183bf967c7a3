"""Interviewers' private calendar feeds: created by staff, the address shown once and stored
hashed, the person's upcoming interviews published, 404 once revoked or for a guess."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from missions.tests.factories import MissionFactory
from review import feeds, interviews
from review.models import CalendarFeed
from review.tests.factories import at_interview, interview_slot
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    return UserFactory(email="ana@example.org", is_staff=True)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="chef@example.org", is_staff=True, is_superuser=True))
    return client


def booked(mission, interviewers, days: float) -> object:
    slot = interview_slot(
        mission, starts_at=timezone.now() + dt.timedelta(days=days), interviewers=interviewers
    )
    application = at_interview(mission)
    interviews.slot_book(
        application=application, slot_id=slot.pk, now=timezone.now() - dt.timedelta(days=30)
    )
    return application


def feed_path(token: str) -> str:
    return reverse("interview_feed", args=[token])


def test_staff_create_a_feed_and_see_its_address_once(admin_client, ana):
    response = admin_client.post(reverse("admin:review_calendarfeed_add"), {"user": ana.pk})

    feed = CalendarFeed.objects.get()
    [url] = re.findall(r'value="(http[^"]+\.ics)"', response.content.decode())
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert url.endswith(f"/entretien/agenda/{token}.ics")
    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(CalendarFeed.objects.values_list())  # only its hash is kept
    page = admin_client.get(reverse("admin:review_calendarfeed_change", args=[feed.pk]))
    assert token not in page.content.decode()


def test_the_feed_publishes_the_persons_upcoming_booked_interviews(
    client, ana, django_assert_num_queries
):
    mission = MissionFactory(reference="FEED1", time_zone="Europe/Paris")
    mine = [booked(mission, [ana], 2), booked(mission, [ana, UserFactory()], 5)]
    booked(mission, [UserFactory()], 3)  # someone else's
    cancelled = booked(mission, [ana], 4)
    interviews.booking_cancel(application=cancelled, now=timezone.now())
    booked(mission, [ana], -3)  # long past
    _feed, token = feeds.calendar_feed_create(user=ana)

    with django_assert_num_queries(3):  # the feed, the bookings, their interviewers
        response = client.get(feed_path(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    references = [str(e["summary"]).rsplit(" ", 1)[1] for e in events]
    assert references == [a.reference for a in mine]
    assert "/entretien/" not in response.content.decode().replace("/entretien/agenda", "")


def test_a_revoked_or_unknown_feed_is_not_found(admin_client, client, ana):
    feed, token = feeds.calendar_feed_create(user=ana)
    assert client.get(feed_path(token)).status_code == 200

    admin_client.post(
        reverse("admin:review_calendarfeed_changelist"),
        {"action": "revoke_feeds", "_selected_action": [feed.pk]},
    )

    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert client.get(feed_path(token)).status_code == 404
    assert client.get(feed_path("x" * 43)).status_code == 404
