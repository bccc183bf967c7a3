"""Pre-departure training sessions of a mission (loi n° 2005-159, art. 4; France Volontaires'
"PAD"): they must end before the mission starts (a data-quality finding otherwise)."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from missions.models.mission import Mission


class TrainingSession(models.Model):
    mission = models.ForeignKey(
        Mission,
        on_delete=models.CASCADE,
        related_name="training_sessions",
        verbose_name=_("mission"),
    )
    title = models.CharField(_("intitulé"), max_length=200)
    starts_on = models.DateField(_("premier jour"))
    ends_on = models.DateField(_("dernier jour"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    link = models.URLField(_("lien (à distance)"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), default=20)
    programme = models.TextField(_("programme"), blank=True, max_length=4000)

    class Meta:
        ordering = ("starts_on", "pk")
        verbose_name = _("session de formation au départ")
        verbose_name_plural = _("sessions de formation au départ")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%Y-%m-%d} – {self.ends_on:%Y-%m-%d})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin ne peut pas précéder le début.")})

    @property
    def ends_after_start(self) -> bool:
        """The data-quality finding: a session that ends after the mission has started."""
        return self.ends_on >= self.mission.start_date
