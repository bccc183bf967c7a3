"""Interview slots and a pre-departure training session for the coordinated mission: a few
slots on the coming days in the mission's time zone, one for a group, the candidates at the
interview stage booked through the booking service (their invitations in the outbox).

Loading twice changes nothing: slots are made only for a mission that has none, a candidate
already booked is left alone, the session is found by its title.
"""

import datetime as dt
import zoneinfo

from applications.models import Application, Stage
from missions.models import Mission, TrainingSession
from review import interviews
from review.models import InterviewBooking, InterviewSlot
from volunteers.models import User

VIDEO_URL = "https://visio.example.org/entretiens-{reference}"
# (days from today, hour in the mission's zone, seats)
SLOTS = ((3, 9, 1), (3, 10, 1), (4, 9, 1), (4, 14, 3), (6, 9, 1), (6, 10, 1))


def interviews_ensure(*, mission: Mission, interviewers: list[User], now: dt.datetime) -> int:
    """The mission's slots and bookings; returns how many bookings were made."""
    if not mission.interview_slots.exists():
        slots_make(mission, interviewers, now)
    waiting = Application.objects.filter(mission=mission, stage=Stage.INTERVIEW).exclude(
        interview_bookings__state=InterviewBooking.State.BOOKED
    )
    booked = 0
    for application in waiting.order_by("pk"):
        slot = interviews.open_slots(application, now).first()
        if slot is not None:
            interviews.slot_book(application=application, slot_id=slot.pk, now=now)
            booked += 1
    return booked


def slots_make(mission: Mission, interviewers: list[User], now: dt.datetime) -> None:
    zone = zoneinfo.ZoneInfo(mission.time_zone)
    today = now.astimezone(zone).date()
    for days, hour, seats in SLOTS:
        starts_at = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), zone)
        slot = InterviewSlot.objects.create(
            mission=mission, starts_at=starts_at, time_zone=mission.time_zone, capacity=seats,
            video_url=VIDEO_URL.format(reference=mission.reference.lower()),
        )  # fmt: skip
        slot.interviewers.set(interviewers)


def training_ensure(*, mission: Mission) -> TrainingSession | None:
    """The mission's pre-departure training, on its training dates, ending before it starts."""
    if mission.training_start is None:
        return None
    ends_on = mission.training_end or mission.training_start + dt.timedelta(days=4)
    # Sample data, stored as a French-speaking team would type it (not interface text).
    session, _created = TrainingSession.objects.get_or_create(
        mission=mission,
        title="Stage de préparation au départ",
        defaults={
            "starts_on": mission.training_start,
            "ends_on": min(ends_on, mission.start_date - dt.timedelta(days=1)),
            "place": "Centre de formation, Lyon",
            "capacity": 20,
            "programme": "Interculturalité, sécurité, santé, posture du volontaire, retours "
            "d'expérience.",
        },
    )
    return session
