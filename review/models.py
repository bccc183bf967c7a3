"""Interviews after the shortlist: slots staff publish, the candidate's booking of one, its
calendar invitations (``review.calendar``), and who attended; the interviewers' private
calendar feeds. Pre-departure training sessions are the mission's
(``missions.models.TrainingSession``); a selected volunteer's place in one is here."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from missions.models import Mission, TrainingSession, validate_time_zone


class InterviewSlot(models.Model):
    """A time staff offer for interviews on a mission, for one candidate or a group."""

    class Mode(models.TextChoices):
        VIDEO = "video", _("Visioconférence")
        PHONE = "phone", _("Téléphone")
        IN_PERSON = "in_person", _("En présentiel")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="interview_slots", verbose_name=_("mission")
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=30)
    time_zone = models.CharField(
        _("fuseau horaire"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Celui de la mission par défaut (exemple : Africa/Dakar)."),
    )
    mode = models.CharField(_("modalité"), max_length=10, choices=Mode.choices, default=Mode.VIDEO)
    video_url = models.URLField(_("lien de la visioconférence"), blank=True)
    address = models.TextField(_("adresse"), blank=True, max_length=500)
    phone_note = models.CharField(
        _("précision pour le téléphone"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : « nous vous appelons au numéro de votre profil »."),
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="interview_slots",
        blank=True,
        verbose_name=_("personnes qui font passer l'entretien"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=1, help_text=_("1 pour un entretien individuel, plus pour un groupe.")
    )
    # Places taken, kept by the booking service under the slot's row lock; the constraint
    # below makes a seat sold twice impossible whatever the code does.
    booked = models.PositiveSmallIntegerField(_("places prises"), default=0, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ("starts_at", "pk")
        verbose_name = _("créneau d'entretien")
        verbose_name_plural = _("créneaux d'entretien")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="slot_has_a_seat"),
        ]

    def __str__(self) -> str:
        local = self.local_start
        return f"{self.mission.reference} – {local:%Y-%m-%d %H:%M} ({self.time_zone})"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self) -> dt.datetime:
        """The start in the slot's own time zone."""
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    @property
    def seats_left(self) -> int:
        return self.capacity - self.booked


class InterviewBooking(models.Model):
    """A candidate's seat in a slot. Moving keeps the booking (and its calendar UID) and
    raises its sequence; cancelling keeps the row, cancelled, for the calendar and history."""

    class State(models.TextChoices):
        BOOKED = "booked", _("réservé")
        CANCELLED = "cancelled", _("annulé")

    uid = models.UUIDField(_("identifiant de calendrier"), default=uuid.uuid4, unique=True)
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="interview_bookings",
        verbose_name=_("candidature"),
    )
    slot = models.ForeignKey(
        InterviewSlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("créneau"),
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.BOOKED)
    # RFC 5545 SEQUENCE: 0 when booked, one more at each move or cancellation.
    sequence = models.PositiveIntegerField(_("version de l'invitation"), default=0)
    booked_at = models.DateTimeField(_("réservé le"), auto_now_add=True)
    changed_at = models.DateTimeField(_("modifié le"), auto_now=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("présence notée par"),
    )

    class Meta:
        ordering = ("-booked_at",)
        verbose_name = _("réservation d'entretien")
        verbose_name_plural = _("réservations d'entretien")
        constraints: ClassVar = [
            # One interview booked at a time per application: moving is changing its slot.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="booked"),
                name="one_interview_booked_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.slot or '—'}"


class CalendarFeed(models.Model):
    """An interviewer's private calendar address: a secret token, stored hashed, revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("personne"),
    )
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda privé")
        verbose_name_plural = _("agendas privés")

    def __str__(self) -> str:
        return str(self.user)


class TrainingEnrolment(models.Model):
    """A selected volunteer's place in a pre-departure training session, and attendance."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("session"),
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="training_enrolment",
        verbose_name=_("candidature"),
    )
    enrolled_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    attended = models.BooleanField(_("a suivi la formation"), null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("présence notée par"),
    )

    class Meta:
        verbose_name = _("inscription en formation")
        verbose_name_plural = _("inscriptions en formation")

    def __str__(self) -> str:
        return f"{self.application} – {self.session}"
