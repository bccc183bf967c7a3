"""E-mails of the staff side: a stage change to the candidate, the pre-departure training
reminder, the staff digest. One function per message, each returning an outbox draft."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from applications.emails import application_message, mission_context
from applications.models import Application, Stage, StageChange
from missions.languages import text_in
from missions.models import Mission
from notifications.outbox import Draft
from review.calendar import Meeting, attachment, calendar_text
from review.models import InterviewBooking, InterviewSlot, TrainingEnrolment
from volunteers.models import User

# A training day, on the mission's clock, for the calendar invitation.
TRAINING_DAY = (dt.time(9), dt.time(17))


def stage_changed(application: Application, change: StageChange) -> Draft:
    """The candidate hears of a move to a stage in NOTIFIED_STAGES, once per move; a move to
    the interview carries the link to choose a slot."""
    draft = application_message(
        application, f"application_{change.to_stage}", key=f"stage:{change.pk}"
    )
    if change.to_stage == Stage.INTERVIEW:
        draft = replace(draft, context={**draft.context, "booking_url": booking_url(application)})
    return draft


def booking_url(application: Application) -> str:
    """The candidate's link to choose, move or cancel their interview, in their language."""
    from review.interviews import invitation_token  # the services import these e-mails

    with translation.override(application.volunteer.preferred_language):
        path = reverse("interviews:choose", args=[invitation_token(application)])
    return f"{settings.SITE_URL}{path}"


def meeting(
    booking: InterviewBooking, slot: InterviewSlot, language: str = settings.LANGUAGE_CODE
) -> Meeting:
    """The calendar event of a booking in a slot, the mission named in ``language``."""
    application = booking.application
    mission = application.mission
    places: dict[str, str] = {
        InterviewSlot.Mode.VIDEO: slot.video_url,
        InterviewSlot.Mode.IN_PERSON: slot.address,
        InterviewSlot.Mode.PHONE: slot.phone_note,
    }
    place = places[slot.mode]
    return Meeting(
        uid=f"{booking.uid}@volontiers",
        sequence=booking.sequence,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        time_zone=slot.time_zone,
        summary=f"Entretien {mission.reference} – {application.reference}",
        description=f"{mission.reference} – {text_in(mission, 'title', language)}\n"
        f"{booking_url(application)}",
        location=place,
        url=slot.video_url,
        organiser=mission.contact_email,
        organiser_name=mission.organisation,
        attendees=(application.volunteer.user.email, *(u.email for u in slot.interviewers.all())),
    )


def interview_context(booking: InterviewBooking, slot: InterviewSlot) -> dict[str, Any]:
    application = booking.application
    return {
        **mission_context(application.mission, application.volunteer.preferred_language),
        "application_reference": application.reference,
        "candidate": f"{application.volunteer.first_name} {application.volunteer.last_name}",
        "starts_at": slot.starts_at.isoformat(),
        "time_zone": slot.time_zone,
        "duration": slot.duration_minutes,
        "mode": slot.mode,
        "video_url": slot.video_url,
        "address": slot.address,
        "phone_note": slot.phone_note,
        "booking_url": booking_url(application),
        "sequence": booking.sequence,
    }


def interview_drafts(
    booking: InterviewBooking,
    slot: InterviewSlot,
    *,
    template: str,
    method: str,
    name: str,
    to_candidate: bool = True,
    staff: Iterable[User] | None = None,
    context: dict[str, Any] | None = None,
) -> list[Draft]:
    """One e-mail with its ``.ics`` to the candidate and to each interviewer."""

    def invitation(language: str) -> dict[str, str]:
        """The same event (its UID and sequence) for each reader, in their language."""
        return attachment(calendar_text([meeting(booking, slot, language)], method), method)

    shared = {**interview_context(booking, slot), **(context or {})}
    volunteer = booking.application.volunteer
    # The mission in the staff's language: the shared words are the candidate's.
    staff_words = mission_context(booking.application.mission, settings.LANGUAGE_CODE)
    key = f"{name}:{booking.pk}:{booking.sequence}"
    staff_invitation = invitation(settings.LANGUAGE_CODE)
    drafts = []
    if to_candidate:
        drafts.append(
            Draft(key=f"{key}:candidate", to=volunteer.user.email, template=template,
                  context=shared, language=volunteer.preferred_language,
                  attachments=(invitation(volunteer.preferred_language),))
        )  # fmt: skip
    for user in slot.interviewers.all() if staff is None else staff:
        drafts.append(
            Draft(key=f"{key}:staff:{user.pk}", to=user.email, template=template,
                  context={**shared, **staff_words, "for_staff": True},
                  language=settings.LANGUAGE_CODE,
                  attachments=(staff_invitation,))
        )  # fmt: skip
    return drafts


def interview_invitation(
    booking: InterviewBooking, slot: InterviewSlot, *, moved: bool = False
) -> list[Draft]:
    """A booking made or moved: the event, to add or to update, for everyone in it."""
    return interview_drafts(
        booking, slot, template="interview_booked", method="REQUEST", name="interview",
        context={"moved": moved},
    )  # fmt: skip


def interview_cancelled(
    booking: InterviewBooking,
    slot: InterviewSlot,
    *,
    to_candidate: bool = True,
    staff: Iterable[User] | None = None,
) -> list[Draft]:
    return interview_drafts(
        booking, slot, template="interview_cancelled", method="CANCEL", name="interview-cancel",
        to_candidate=to_candidate, staff=staff,
    )  # fmt: skip


def interview_reminder(booking: InterviewBooking, slot: InterviewSlot) -> list[Draft]:
    """The day before: once per booking and time (a move resets it)."""
    return interview_drafts(
        booking, slot, template="interview_reminder", method="REQUEST", name="interview-24h",
        staff=(),
    )  # fmt: skip


def interview_choose_again(application: Application, booking: InterviewBooking) -> Draft:
    """The slot was withdrawn by staff: the link to choose another."""
    draft = application_message(
        application, "interview_choose_again", key=f"interview-again:{booking.pk}"
    )
    return replace(draft, context={**draft.context, "booking_url": booking_url(application)})


def stage_change_preview(application: Application, to_stage: str) -> Draft:
    """What ``stage_changed`` would send this candidate, for staff to read before moving."""
    return application_message(application, f"application_{to_stage}", key="preview")


def training_reminder(
    application: Application, enrolment: TrainingEnrolment | None = None
) -> Draft:
    """14 days before: the enrolled session with its ``.ics``, or else the mission's dates."""
    mission = application.mission
    training_start = mission.training_start
    language = application.volunteer.preferred_language
    draft = Draft(
        key=f"training-14d:{application.pk}",
        to=application.volunteer.user.email,
        template="training_reminder",
        language=language,
        context={
            **mission_context(mission, language),
            "application_reference": application.reference,
            "training_start": training_start.isoformat() if training_start else "",
            "contact_email": mission.contact_email,
        },
    )
    if enrolment is None:
        return draft
    session = enrolment.session
    invitation = calendar_text([training_meeting(enrolment)], "REQUEST")
    return replace(
        draft,
        # Per session: moved to another session, the volunteer hears of the new one.
        key=f"training-14d:{application.pk}:{session.pk}",
        context={**draft.context, "training_start": session.starts_on.isoformat(),
                 "training_end": session.ends_on.isoformat(), "training_title": session.title,
                 "training_place": session.place, "training_link": session.link},
        attachments=(attachment(invitation, "REQUEST", "formation.ics"),),
    )  # fmt: skip


def training_meeting(enrolment: TrainingEnrolment) -> Meeting:
    """The session as one event, 09:00 on its first day to 17:00 on its last, on the
    mission's clock; its UID is the enrolment's, so a later update replaces it."""
    session = enrolment.session
    application = enrolment.application
    mission = application.mission
    zone = zoneinfo.ZoneInfo(mission.time_zone)
    return Meeting(
        uid=f"training-{enrolment.pk}@volontiers",
        sequence=0,
        starts_at=dt.datetime.combine(session.starts_on, TRAINING_DAY[0], tzinfo=zone),
        ends_at=dt.datetime.combine(session.ends_on, TRAINING_DAY[1], tzinfo=zone),
        time_zone=mission.time_zone,
        summary=f"{session.title} ({mission.reference})",
        description=session.programme or session.title,
        location=session.place or session.link,
        url=session.link,
        organiser=mission.contact_email,
        organiser_name=mission.organisation,
        attendees=(application.volunteer.user.email,),
    )


def staff_digest(mission: Mission, reviewer: User, counts: dict[str, int]) -> Draft:
    """``counts``: submitted, withdrawn and without_notes for the mission."""
    return Draft(
        key=f"digest:{mission.pk}:{reviewer.pk}",
        to=reviewer.email,
        template="staff_digest",
        language=settings.LANGUAGE_CODE,
        context={
            **mission_context(mission, settings.LANGUAGE_CODE),
            **counts,
            "admin_url": settings.SITE_URL
            + reverse("admin:applications_application_changelist")
            + f"?mission__id__exact={mission.pk}",
        },
    )
