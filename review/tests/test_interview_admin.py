"""Interview slots in the admin: the list, the local-time form, deleting through the service,
the series form (DST-safe, with its limits) and the calendar, per role."""

import datetime as dt
import html as html_text
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Stage
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review import interviews
from review.models import InterviewBooking, InterviewSlot
from review.roles import MANAGERS, REVIEWERS
from review.slots import Series, series_starts
from review.tests.factories import staff
from review.tests.helpers import as_user
from testing.clock import at, days

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SLOTS = reverse("admin:review_interviewslot_changelist")
SERIES = reverse("admin:review_interviewslot_series")
CALENDAR = reverse("admin:review_interviewslot_calendar")


@pytest.fixture
def mission():
    return MissionFactory(reference="INT1", time_zone="Europe/Paris")


@pytest.fixture
def manager():
    return staff(MANAGERS, "manager@example.org")


def slot_at(mission, when, **fields):
    fields = {"time_zone": mission.time_zone, "video_url": "https://visio.example.org/x", **fields}
    return InterviewSlot.objects.create(mission=mission, starts_at=when, **fields)


def booked(mission, slot, last_name):
    from volunteers.tests.factories import VolunteerFactory

    application = submitted(mission, VolunteerFactory(last_name=last_name), stage=Stage.INTERVIEW)
    return interviews.slot_book(application=application, slot_id=slot.pk, now=at(0))


def next_weekday(start: dt.date, weekday: int) -> dt.date:
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def list_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(SLOTS).content.decode()
    return len(queries), html


def test_the_list_shows_local_times_and_who_booked_in_a_fixed_number_of_queries(
    client, mission, manager
):
    as_user(client, manager)
    slots = [slot_at(mission, at(10 + n, 8), capacity=2) for n in range(6)]
    booked(mission, slots[0], "Diallo0")
    slots[0].interviewers.add(manager)
    with_one, _html = list_queries(client)
    for n, slot in enumerate(slots[1:], start=1):
        booked(mission, slot, f"Diallo{n}")
        slot.interviewers.add(manager)

    with_six, html = list_queries(client)

    assert with_six == with_one  # interviewers and candidates prefetched, not one query a row

    assert f"{at(10, 8).astimezone(PARIS):%Y-%m-%d %H:%M} (Europe/Paris)" in html
    assert "Diallo0" in html and "Diallo5" in html and "1/2" in html
    assert "Créer une série de créneaux" in html and "Calendrier des entretiens" in html


def test_the_slot_form_reads_the_start_on_the_missions_clock(client, mission, manager):
    as_user(client, manager)
    day = days(20)

    response = client.post(
        reverse("admin:review_interviewslot_add"),
        {"mission": mission.pk, "local_date": day.isoformat(), "local_time": "09:00",
         "duration_minutes": 30, "time_zone": "", "mode": "video",
         "video_url": "https://visio.example.org/a", "capacity": 1},
    )  # fmt: skip

    assert response.status_code == 302
    slot = InterviewSlot.objects.get()
    assert slot.time_zone == "Europe/Paris"
    assert slot.starts_at == dt.datetime.combine(day, dt.time(9), tzinfo=PARIS)


def test_a_video_slot_without_its_link_is_refused(client, mission, manager):
    as_user(client, manager)

    response = client.post(
        reverse("admin:review_interviewslot_add"),
        {"mission": mission.pk, "local_date": days(20).isoformat(), "local_time": "09:00",
         "duration_minutes": 30, "mode": "video", "capacity": 1},
    )  # fmt: skip

    assert "Indiquez le lien de la visioconférence." in response.content.decode()
    assert not InterviewSlot.objects.exists()


def test_moving_a_booked_slot_is_refused_with_the_way_to_do_it(client, mission, manager):
    slot = slot_at(mission, at(20, 8))
    booked(mission, slot, "Sow")
    as_user(client, manager)

    response = client.post(
        reverse("admin:review_interviewslot_change", args=[slot.pk]),
        {"mission": mission.pk, "local_date": days(21).isoformat(), "local_time": "10:00",
         "duration_minutes": 30, "time_zone": "Europe/Paris", "mode": "video",
         "video_url": slot.video_url, "capacity": 1},
    )  # fmt: skip

    assert "supprimez-le" in response.content.decode()
    slot.refresh_from_db()
    assert slot.starts_at == at(20, 8)


def test_deleting_a_booked_slot_tells_the_candidate_and_invites_again(client, mission, manager):
    slot = slot_at(mission, at(20, 8))
    booking = booked(mission, slot, "Ba")
    as_user(client, manager)

    client.post(reverse("admin:review_interviewslot_delete", args=[slot.pk]), {"post": "yes"})

    assert not InterviewSlot.objects.exists()
    booking.refresh_from_db()
    assert (booking.state, booking.sequence) == (InterviewBooking.State.CANCELLED, 1)
    templates = set(OutboxMessage.objects.values_list("template", flat=True))
    assert {"interview_cancelled", "interview_choose_again"} <= templates


def test_the_bulk_delete_goes_through_the_service_for_each_slot(client, mission, manager):
    slots = [slot_at(mission, at(20 + n, 8)) for n in range(2)]
    bookings = [booked(mission, slot, f"Fall{n}") for n, slot in enumerate(slots)]
    as_user(client, manager)

    client.post(SLOTS, {"action": "delete_selected", "_selected_action": [s.pk for s in slots],
                        "post": "yes"})  # fmt: skip

    assert not InterviewSlot.objects.exists()
    assert OutboxMessage.objects.filter(template="interview_choose_again").count() == 2
    assert all(
        InterviewBooking.objects.get(pk=b.pk).state == InterviewBooking.State.CANCELLED
        for b in bookings
    )


def test_a_series_keeps_nine_oclock_local_across_the_change_of_clocks():
    # The last Sunday of March: clocks go forward in Paris; the days around it.
    year = days(0).year + 1
    change = max(dt.date(year, 3, d) for d in range(25, 32) if dt.date(year, 3, d).weekday() == 6)
    series = Series(weekdays=frozenset({4, 0}), day_start=dt.time(9), day_end=dt.time(10),
                    minutes=30, first_day=change - dt.timedelta(days=2),
                    last_day=change + dt.timedelta(days=1), time_zone="Europe/Paris")  # fmt: skip

    starts = list(series_starts(series))

    assert [s.strftime("%a %H:%M") for s in starts] == ["Fri 09:00", "Fri 09:30",
                                                        "Mon 09:00", "Mon 09:30"]  # fmt: skip
    assert [s.utcoffset() for s in starts] == [dt.timedelta(hours=h) for h in (1, 1, 2, 2)]


def series_data(mission, **changes):
    monday = next_weekday(days(14), 0)
    data = {
        "mission": mission.pk, "weekdays": ["1", "3"], "day_start": "09:00", "day_end": "12:00",
        "minutes": 30, "first_day": monday.isoformat(),
        "last_day": (monday + dt.timedelta(days=13)).isoformat(), "mode": "video",
        "video_url": "https://visio.example.org/serie", "capacity": 1,
    }  # fmt: skip
    return {**data, **changes}


def test_the_series_form_previews_then_creates_every_slot(client, mission, manager):
    as_user(client, manager)

    preview = client.post(SERIES, {**series_data(mission), "preview": "1"})
    assert "24 créneaux seront créés" in preview.content.decode()
    assert not InterviewSlot.objects.exists()

    client.post(SERIES, {**series_data(mission, interviewers=[manager.pk]), "create": "1"})

    slots = list(InterviewSlot.objects.all())
    assert len(slots) == 24  # two weeks, Tuesdays and Thursdays, six half-hours
    assert {s.local_start.weekday() for s in slots} == {1, 3}
    assert {s.local_start.time() for s in slots} == {dt.time(9 + h // 2, 30 * (h % 2))
                                                     for h in range(6)}  # fmt: skip
    assert all(list(s.interviewers.all()) == [manager] for s in slots)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day_end": "08:00"}, "L'heure de fin doit suivre l'heure de début."),
        ({"weekdays": ["6"], "last_day": None}, "Aucun créneau dans cette période"),
        ({"minutes": 5, "day_start": "00:00", "day_end": "23:55"}, "c'est plus que 500"),
        ({"last_day": "2000-01-01"}, "Le dernier jour ne peut pas précéder le premier."),
    ],
)
def test_the_series_form_refuses_bad_input_clearly(client, mission, manager, changes, message):
    as_user(client, manager)
    data = series_data(mission, **changes)
    if data["last_day"] is None:  # a single Monday: no Sunday in range
        data["last_day"] = data["first_day"]

    response = client.post(SERIES, {**data, "create": "1"})

    assert message in html_text.unescape(response.content.decode())
    assert not InterviewSlot.objects.exists()


def test_the_calendar_groups_slots_by_local_day_with_who_booked(client, mission, manager):
    other = MissionFactory(reference="INT2")
    first = slot_at(mission, dt.datetime.combine(days(20), dt.time(9), tzinfo=PARIS))
    slot_at(mission, dt.datetime.combine(days(20), dt.time(10), tzinfo=PARIS))
    slot_at(mission, dt.datetime.combine(days(21), dt.time(9), tzinfo=PARIS))
    slot_at(other, at(20, 8))
    slot_at(mission, at(-3, 8))  # past: hidden by default
    booked(mission, first, "Kane")
    as_user(client, manager)

    response = client.get(CALENDAR, {"mission": mission.pk})

    days_shown = response.context["days"]
    assert [(day, len(slots)) for day, slots in days_shown] == [(days(20), 2), (days(21), 1)]
    assert "Kane" in response.content.decode()


def test_a_reviewer_reads_the_calendar_but_cannot_create_or_delete(client, mission):
    slot = slot_at(mission, at(20, 8))
    as_user(client, staff(REVIEWERS, "rev@example.org"))

    assert client.get(CALENDAR).status_code == 200
    assert client.get(SLOTS).status_code == 200
    assert client.post(SERIES, {**series_data(mission), "create": "1"}).status_code == 403
    client.post(SLOTS, {"action": "delete_selected", "_selected_action": [slot.pk], "post": "yes"})
    assert InterviewSlot.objects.count() == 1


def test_staff_without_a_role_see_no_slots(client, mission):
    as_user(client, staff(None, "nobody@example.org"))

    assert client.get(CALENDAR).status_code == 403
    assert client.get(SLOTS).status_code == 403
