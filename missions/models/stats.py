"""What the recruitment dashboard counts: per mission and day, how many people did what.

Counts only: no address, no account, no application in these rows, so they outlive the
candidates' erasure and the retention purge. ``missions.tallies`` writes them (an upsert per
event, or per batch of page views flushed from the cache by ``missions.counters``).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from missions.models.mission import Mission


class Event(models.TextChoices):
    # Public pages (counted in the cache, flushed by beat): views and eligibility verdicts.
    VIEW = "view", _("Consultations de la page")
    CHECK = "check", _("Vérifications d'éligibilité")
    ELIGIBLE = "eligible", _("Éligibles")
    REFUSED = "refused", _("Refus par règle")  # detail: the rule's code
    # The application (one upsert in the transaction that makes the change).
    DRAFT = "draft", _("Brouillons commencés")
    SUBMITTED = "submitted", _("Candidatures envoyées")
    REACHED = "reached", _("Étape atteinte")  # detail: the stage, counted once per application
    RESIDENCE = "residence", _("Pays de résidence")  # detail: ISO code, at submission
    NATIONALITY = "nationality", _("Nationalité")  # detail: ISO code, each one held
    SOURCE = "source", _("Provenance")  # detail: applications.Source


class Tally(models.Model):
    """How many times an event happened for a mission on a day (in the site's time zone)."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="+", verbose_name=_("mission")
    )
    day = models.DateField(_("jour"))
    event = models.CharField(_("événement"), max_length=12, choices=Event.choices)
    detail = models.CharField(_("précision"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("comptage")
        verbose_name_plural = _("comptages")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["day", "mission", "event", "detail"], name="tally_per_day"
            ),
        ]
        indexes: ClassVar = [
            # One mission's (or a few missions') figures over a period.
            models.Index(fields=["mission", "day"], name="tally_mission_day"),
            # One event over a period (applications sent per day, the missions' funnels),
            # read from the index alone: the count is in it.
            models.Index(
                fields=["event", "day", "mission", "detail", "count"], name="tally_event_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.event} {self.detail}: {self.count}"


class StageTime(models.Model):
    """How many applications left a stage on a day after ``days`` whole days in it."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="+", verbose_name=_("mission")
    )
    day = models.DateField(_("jour"))
    stage = models.CharField(_("étape"), max_length=12)
    days = models.PositiveIntegerField(_("jours passés dans l'étape"))
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("temps passé dans une étape")
        verbose_name_plural = _("temps passés dans les étapes")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["day", "mission", "stage", "days"], name="stage_time_per_day"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["mission", "day"], name="stage_time_mission_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} {self.days} j: {self.count}"
