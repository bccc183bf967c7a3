"""Calendar invitations parsed back as a calendar client reads them: one UID per booking,
SEQUENCE rising at each change, REQUEST then CANCEL, and 09:00 in Paris on the day clocks
change still 09:00 in Paris."""

import datetime as dt
import zoneinfo
from email import message_from_bytes

import pytest
from django.utils import timezone, translation
from icalendar import Calendar

from missions.tests.factories import MissionFactory
from notifications.emails import render
from notifications.models import OutboxMessage
from review import interviews
from review.tests.factories import at_interview, interview_slot
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
VIDEO = "https://visio.example.org/entretien-42"


@pytest.fixture
def mission():
    return MissionFactory(reference="ICS1", time_zone="Europe/Paris",
                          contact_email="recrutement@example.org", organisation="France Volontaires")  # fmt: skip


@pytest.fixture
def jury():
    return [UserFactory(email="ana@example.org"), UserFactory(email="bruno@example.org")]


def calendar_of(key: str) -> Calendar:
    message = OutboxMessage.objects.get(key=key)
    [attachment] = message.attachments
    assert attachment["filename"] == "invitation.ics"
    return Calendar.from_ical(attachment["content"])


def event_of(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event


def attendees(event) -> set[str]:
    values = event.get("attendee")
    return {str(a) for a in (values if isinstance(values, list) else [values])}


def next_spring_forward() -> dt.date:
    """The next last Sunday of March, the day Europe's clocks go forward (2027-03-28 at the
    suite's "now")."""
    year = timezone.localdate().year + (
        timezone.localdate() >= dt.date(timezone.localdate().year, 3, 1)
    )
    last = dt.date(year, 3, 31)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def test_booking_move_and_cancellation_share_a_uid_with_rising_sequence(mission, jury):
    application = at_interview(mission, VolunteerFactory(user__email="awa@example.org"))
    now = timezone.now().replace(microsecond=0)  # iCalendar times are to the second
    first = interview_slot(mission, starts_at=now + dt.timedelta(days=5), video_url=VIDEO,
                           interviewers=jury[:1])  # fmt: skip
    second = interview_slot(mission, starts_at=now + dt.timedelta(days=6), video_url=VIDEO,
                            interviewers=jury)  # fmt: skip

    booking = interviews.slot_book(application=application, slot_id=first.pk, now=now)
    interviews.slot_book(application=application, slot_id=second.pk, now=now)
    interviews.booking_cancel(application=application, now=now)

    keys = [
        f"interview:{booking.pk}:0",
        f"interview:{booking.pk}:1",
        f"interview-cancel:{booking.pk}:2",
    ]
    calendars = [calendar_of(f"{key}:candidate") for key in keys]
    events = [event_of(c) for c in calendars]
    assert [str(c["method"]) for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert len({str(e["uid"]) for e in events}) == 1
    assert [int(e["sequence"]) for e in events] == [0, 1, 2]
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert [e.decoded("dtstart") for e in events] == [
        first.starts_at,
        second.starts_at,
        second.starts_at,
    ]
    for event in events:
        assert str(event["organizer"]) == "mailto:recrutement@example.org"
        assert event["organizer"].params["CN"] == "France Volontaires"
        assert str(event["url"]) == VIDEO
    assert attendees(events[0]) == {"mailto:awa@example.org", "mailto:ana@example.org"}
    assert attendees(events[1]) == {"mailto:awa@example.org", "mailto:ana@example.org",
                                    "mailto:bruno@example.org"}  # fmt: skip
    # Each interviewer's copy is the same event: the same UID and sequence as the candidate's.
    for user, key in ((jury[0], keys[1]), (jury[1], keys[1]), (jury[1], keys[2])):
        theirs = event_of(calendar_of(f"{key}:staff:{user.pk}"))
        assert (str(theirs["uid"]), theirs["sequence"]) == (str(events[0]["uid"]), int(key[-1]))


def test_a_slot_at_nine_in_paris_on_the_day_clocks_change_is_nine_in_paris(mission, jury):
    day = next_spring_forward()
    starts_at = dt.datetime.combine(day, dt.time(9), tzinfo=PARIS)
    slot = interview_slot(mission, starts_at=starts_at, video_url=VIDEO, interviewers=jury)
    application = at_interview(mission)

    booking = interviews.slot_book(
        application=application, slot_id=slot.pk, now=starts_at - dt.timedelta(days=10)
    )

    message = OutboxMessage.objects.get(key=f"interview:{booking.pk}:0:candidate")
    text = message.attachments[0]["content"]
    assert f"DTSTART;TZID=Europe/Paris:{day:%Y%m%d}T090000" in text
    assert f"DTEND;TZID=Europe/Paris:{day:%Y%m%d}T093000" in text
    calendar = Calendar.from_ical(text)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Paris"
    assert event_of(calendar).decoded("dtstart").astimezone(dt.UTC).hour == 7  # summer time
    assert message.attachments[0]["mimetype"] == "text/calendar; charset=utf-8; method=REQUEST"


def test_the_sent_email_carries_the_calendar_as_a_part_clients_understand(mission, jury):
    slot = interview_slot(
        mission, starts_at=timezone.now() + dt.timedelta(days=5), interviewers=jury
    )
    application = at_interview(mission)

    interviews.slot_book(application=application, slot_id=slot.pk, now=timezone.now())

    messages = OutboxMessage.objects.order_by("key")
    assert messages.count() == 3  # the candidate and two interviewers
    for message in messages:
        email = message_from_bytes(render(message).message().as_bytes())
        [part] = [p for p in email.walk() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
        assert part.get_filename() == "invitation.ics"
        assert str(Calendar.from_ical(part.get_payload(decode=True))["method"]) == "REQUEST"
        assert "text/html" in {p.get_content_type() for p in email.walk()}


def test_each_reader_s_invitation_names_the_mission_in_their_language(jury):
    translated = MissionFactory(reference="ICS2", title="Chargé·e de communication",
                                title_en="Communication officer")  # fmt: skip
    application = at_interview(translated, VolunteerFactory(preferred_language="en"))
    now = timezone.now().replace(microsecond=0)
    slot = interview_slot(translated, starts_at=now + dt.timedelta(days=5), video_url=VIDEO,
                          interviewers=jury[:1])  # fmt: skip

    with translation.override("fr"):  # staff book it from the admin, in French
        booking = interviews.slot_book(application=application, slot_id=slot.pk, now=now)

    candidate = event_of(calendar_of(f"interview:{booking.pk}:0:candidate"))
    staff = event_of(calendar_of(f"interview:{booking.pk}:0:staff:{jury[0].pk}"))
    assert str(candidate["description"]).startswith("ICS2 – Communication officer\n")
    assert str(staff["description"]).startswith("ICS2 – Chargé·e de communication\n")
    assert (str(staff["uid"]), staff["sequence"]) == (str(candidate["uid"]), candidate["sequence"])
