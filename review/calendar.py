"""Calendar invitations (RFC 5545) for interviews and training: one VEVENT per booking, its
``UID`` stable across moves, its ``SEQUENCE`` raised at each change, times in the slot's own
time zone (with its VTIMEZONE), so 09:00 in Paris is 09:00 in Paris whatever the season."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Volontiers//Entretiens et formations//FR"
MIMETYPE = "text/calendar; charset=utf-8; method={method}"


@dataclass(frozen=True)
class Meeting:
    """What an invitation says: when, where, who."""

    uid: str
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    summary: str
    description: str
    location: str
    url: str
    organiser: str  # an e-mail address
    organiser_name: str
    attendees: tuple[str, ...]


def calendar_text(meetings: Iterable[Meeting], method: str = "REQUEST") -> str:
    """An iCalendar file of these meetings: ``REQUEST`` (an invitation or its update),
    ``CANCEL`` (withdrawn), or ``PUBLISH`` (a feed)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for meeting in meetings:
        calendar.add_component(event(meeting, cancelled=method == "CANCEL"))
    calendar.add_missing_timezones()
    text: str = calendar.to_ical().decode()
    return text


def event(meeting: Meeting, *, cancelled: bool = False) -> Event:
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    item = Event()
    item.add("uid", meeting.uid)
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", timezone.now().astimezone(dt.UTC))
    item.add("dtstart", meeting.starts_at.astimezone(zone))
    item.add("dtend", meeting.ends_at.astimezone(zone))
    item.add("summary", meeting.summary)
    item.add("description", meeting.description)
    if meeting.location:
        item.add("location", meeting.location)
    if meeting.url:
        item.add("url", meeting.url)
    organiser = vCalAddress(f"mailto:{meeting.organiser}")
    organiser.params["cn"] = vText(meeting.organiser_name)
    item.add("organizer", organiser)
    for address in meeting.attendees:
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        item.add("attendee", attendee, encode=False)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def attachment(text: str, method: str, filename: str = "invitation.ics") -> dict[str, str]:
    """An outbox attachment (``notifications.outbox.Draft.attachments``)."""
    return {"filename": filename, "content": text, "mimetype": MIMETYPE.format(method=method)}
