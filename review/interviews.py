"""Interviews: the candidate's invitation link, booking a slot (race-safe), moving and
cancelling it, a booked slot deleted by staff, the reminder before, and who attended.

Every change e-mails a calendar invitation (``review.calendar``) to the candidate and the
slot's interviewers through the outbox, in the change's transaction: SMTP down, the booking
stands and the e-mails follow. Two candidates never hold the last seat: the slot's row is
locked while its seats are counted, and a constraint forbids more bookings than seats.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Stage
from notifications import outbox
from review import emails, services
from review.models import InterviewBooking, InterviewSlot
from volunteers.models import User

INVITATION_SALT = "review.interviews.invitation"
# How long an invitation link works: long enough for slots published later.
INVITATION_MAX_AGE = dt.timedelta(days=60)


class BookingError(Exception):
    """A booking, move or cancellation refused; ``message`` says why, for the candidate."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


def invitation_token(application: Application) -> str:
    """The signed part of the link that lets a candidate choose a slot (no account needed)."""
    return signing.dumps({"a": application.pk}, salt=INVITATION_SALT, compress=True)


def invited_application(token: str) -> Application:
    """The application a link was made for, while it is at the interview stage."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise BookingError(
            _("Ce lien a expiré : écrivez à l'équipe de recrutement pour en recevoir un autre.")
        ) from error
    except signing.BadSignature as error:
        raise BookingError(
            _("Ce lien n'est pas valide : copiez-le en entier depuis l'e-mail reçu.")
        ) from error
    application = (
        Application.objects.select_related("mission", "volunteer__user")
        .filter(pk=data.get("a"))
        .first()
    )
    if application is None or application.stage != Stage.INTERVIEW:
        raise BookingError(_("Cette candidature n'est plus à l'étape de l'entretien."))
    return application


def cutoff(application: Application) -> dt.timedelta:
    return dt.timedelta(hours=application.mission.interview_cutoff_hours)


def open_slots(application: Application, now: dt.datetime) -> QuerySet[InterviewSlot]:
    """The slots of the application's mission still open to booking, soonest first."""
    return (
        InterviewSlot.objects.filter(
            mission=application.mission_id,
            starts_at__gt=now + cutoff(application),
            booked__lt=F("capacity"),
        )
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )


def current_booking(application: Application) -> InterviewBooking | None:
    return (
        InterviewBooking.objects.filter(
            application=application, state=InterviewBooking.State.BOOKED
        )
        .select_related("slot")
        .first()
    )


@transaction.atomic
def slot_book(*, application: Application, slot_id: int, now: dt.datetime) -> InterviewBooking:
    """Book a seat in a slot, or move the application's booking there."""
    application = locked_application(application)
    booking = current_booking(application)
    ids = {slot_id} | ({booking.slot_id} if booking and booking.slot_id else set())
    # Locked in id order, so that two moves between the same slots never wait on each other.
    slots = {
        s.pk: s for s in InterviewSlot.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    slot = slots.get(slot_id)
    if slot is None or slot.mission_id != application.mission_id:
        raise BookingError(_("Ce créneau n'existe pas pour cette mission."))
    if booking is not None and booking.slot_id == slot.pk:
        return booking  # a second click on the same slot
    bookable(application, slot, now)
    if booking is not None and booking.slot_id is not None:
        changeable(application, slots[booking.slot_id], now)
    InterviewSlot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    if booking is None:
        booking = InterviewBooking.objects.create(application=application, slot=slot)
        outbox_drafts(emails.interview_invitation(booking, slot))
        return booking
    previous = slots.get(booking.slot_id) if booking.slot_id else None
    if previous is not None:
        InterviewSlot.objects.filter(pk=previous.pk).update(booked=F("booked") - 1)
    booking.slot = slot
    booking.sequence += 1
    booking.reminded_at = None
    booking.save(update_fields=["slot", "sequence", "reminded_at", "changed_at"])
    if previous is not None:
        # Those who interviewed at the old time and not at the new one: the event is withdrawn.
        gone = set(previous.interviewers.all()) - set(slot.interviewers.all())
        outbox_drafts(emails.interview_cancelled(booking, previous, to_candidate=False, staff=gone))
    outbox_drafts(emails.interview_invitation(booking, slot, moved=True))
    return booking


@transaction.atomic
def booking_cancel(
    *,
    application: Application,
    now: dt.datetime,
    by_staff: bool = False,
    tell_candidate: bool = True,
) -> InterviewBooking:
    """Give the seat back; the candidate (until the cut-off) or staff (at any time)."""
    application = locked_application(application, stage_checked=not by_staff)
    booking = current_booking(application)
    if booking is None:
        raise BookingError(_("Aucun entretien n'est réservé pour cette candidature."))
    slot = booking.slot
    if slot is not None:
        slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
        if not by_staff:
            changeable(application, slot, now)
        InterviewSlot.objects.filter(pk=slot.pk).update(booked=F("booked") - 1)
    booking.state = InterviewBooking.State.CANCELLED
    booking.sequence += 1
    booking.save(update_fields=["state", "sequence", "changed_at"])
    if slot is not None:
        interviewers = set(slot.interviewers.all())
        drafts = emails.interview_cancelled(
            booking, slot, to_candidate=tell_candidate, staff=interviewers
        )
        outbox_drafts(drafts)
    return booking


def seats_release(*, now: dt.datetime, application_ids: list[int] | None = None) -> int:
    """Give back the seats of interviews still to come whose application has left the
    interview stage (withdrawn, erased, decided before the slot): the interviewers' calendars
    lose the event. Run with the reminders, and at once after a staff move."""
    stale = InterviewBooking.objects.filter(
        state=InterviewBooking.State.BOOKED, slot__starts_at__gt=now
    ).exclude(application__stage=Stage.INTERVIEW)
    if application_ids is not None:
        stale = stale.filter(application_id__in=application_ids)
    released = 0
    for application in Application.objects.filter(
        pk__in=list(stale.values_list("application_id", flat=True))
    ):
        with transaction.atomic():
            booking_cancel(application=application, now=now, by_staff=True, tell_candidate=False)
        released += 1
    return released


@transaction.atomic
def slot_delete(*, slot: InterviewSlot, now: dt.datetime) -> int:
    """Delete a slot: each candidate booked in it gets the cancellation and a new invitation
    to choose another. Returns how many bookings were cancelled."""
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    bookings = list(
        InterviewBooking.objects.select_for_update(of=("self",))
        .filter(slot=slot, state=InterviewBooking.State.BOOKED)
        .select_related("application__volunteer__user", "application__mission")
    )
    interviewers = set(slot.interviewers.all())
    for booking in bookings:
        booking.state = InterviewBooking.State.CANCELLED
        booking.sequence += 1
        booking.save(update_fields=["state", "sequence", "changed_at"])
        outbox_drafts(emails.interview_cancelled(booking, slot, staff=interviewers))
        outbox.enqueue(emails.interview_choose_again(booking.application, booking))
    slot.delete()
    return len(bookings)


def interview_record(*, booking: InterviewBooking, attended: bool, by: User) -> InterviewBooking:
    """After the slot: whether the candidate came (the opinion and scores are a review)."""
    booking.attended = attended
    booking.outcome_by = by
    booking.save(update_fields=["attended", "outcome_by", "changed_at"])
    return booking


@transaction.atomic
def interview_outcome_record(
    *,
    booking: InterviewBooking,
    attended: bool,
    by: User,
    now: dt.datetime,
    scores: dict[str, int] | None = None,
    comment: str = "",
) -> InterviewBooking:
    """After the slot: whether the candidate came and, if so, the interviewer's opinion and
    scores on the mission's criteria, saved as their review of the application."""
    booking = (
        InterviewBooking.objects.select_for_update(of=("self",))
        .select_related("slot", "application__mission")
        .get(pk=booking.pk)
    )
    if booking.state != InterviewBooking.State.BOOKED or booking.slot is None:
        raise BookingError(_("Cet entretien est annulé : il n'y a rien à noter."))
    if booking.slot.starts_at > now:
        raise BookingError(_("L'entretien n'a pas encore commencé : notez-le après."))
    interview_record(booking=booking, attended=attended, by=by)
    if attended and scores is not None:
        services.review_save(
            application=booking.application, reviewer=by, scores=scores, comment=comment
        )
    return booking


def slot_seats_recount() -> int:
    """Count again the seats taken in every slot: bookings deleted with their application
    (an erasure, the demo's reset) leave no cancellation to give the seat back."""
    taken = (
        InterviewBooking.objects.filter(slot=OuterRef("pk"), state=InterviewBooking.State.BOOKED)
        .order_by()
        .values("slot")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return InterviewSlot.objects.update(booked=Coalesce(Subquery(taken), 0))


REMINDER_AHEAD = dt.timedelta(hours=24)
REMINDER_BATCH = 100


def interviews_remind(*, now: dt.datetime) -> int:
    """The reminder to each candidate whose interview starts within 24 hours, once per
    booking and time (a move clears ``reminded_at``); returns how many were queued.

    Each batch is claimed under row locks that a concurrent run skips, and marked in the
    same transaction: two beats running at once never remind the same booking twice.
    """
    count = 0
    while True:
        with transaction.atomic():
            batch = list(
                InterviewBooking.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(
                    state=InterviewBooking.State.BOOKED,
                    application__stage=Stage.INTERVIEW,
                    reminded_at__isnull=True,
                    slot__starts_at__gt=now,
                    slot__starts_at__lte=now + REMINDER_AHEAD,
                )
                .select_related("slot", "application__mission", "application__volunteer__user")
                .order_by("pk")[:REMINDER_BATCH]
            )
            for booking in batch:
                outbox_drafts(emails.interview_reminder(booking, booking.slot))  # type: ignore[arg-type]  # slot__ filter: never None
                booking.reminded_at = now
                booking.save(update_fields=["reminded_at"])
        count += len(batch)
        if len(batch) < REMINDER_BATCH:
            return count


def locked_application(application: Application, *, stage_checked: bool = True) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("mission", "volunteer__user")
        .get(pk=application.pk)
    )
    if stage_checked and application.stage != Stage.INTERVIEW:
        raise BookingError(_("Cette candidature n'est plus à l'étape de l'entretien."))
    return application


def bookable(application: Application, slot: InterviewSlot, now: dt.datetime) -> None:
    if slot.starts_at <= now:
        raise BookingError(_("Ce créneau est passé : choisissez-en un autre."))
    if slot.starts_at - cutoff(application) <= now:
        raise BookingError(
            _("Ce créneau est trop proche : les réservations ferment %(hours)s heures avant.")
            % {"hours": application.mission.interview_cutoff_hours}
        )
    if slot.booked >= slot.capacity:
        raise BookingError(_("Ce créneau vient d'être pris : choisissez-en un autre."))


def changeable(application: Application, slot: InterviewSlot, now: dt.datetime) -> None:
    """A booking is moved or cancelled by the candidate only until the mission's cut-off."""
    if slot.starts_at - cutoff(application) <= now:
        raise BookingError(
            _(
                "Votre entretien est dans moins de %(hours)s heures : pour le déplacer ou "
                "l'annuler, écrivez à l'équipe de recrutement."
            )
            % {"hours": application.mission.interview_cutoff_hours}
        )


def outbox_drafts(drafts: list[outbox.Draft]) -> None:
    for draft in drafts:
        outbox.enqueue(draft)
