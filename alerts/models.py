"""Mission alerts: a saved search of the catalogue, sent as a digest of the new missions.

The search keeps the catalogue's own filters (``missions.forms.MissionFilterForm``), so that
the catalogue's selector finds the missions (``Alert.filters``). Tokens are kept hashed only.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.countries import country_name
from missions.models import Mission, Programme


class AlertQuerySet(models.QuerySet["Alert"]):
    def active(self) -> "AlertQuerySet":
        return self.filter(state=Alert.State.ACTIVE)


class Alert(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", _("Chaque jour")
        WEEKLY = "weekly", _("Chaque semaine")

    class State(models.TextChoices):
        PENDING = "pending", _("À confirmer")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Désabonnée")

    email = models.EmailField(_("adresse e-mail"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,  # an erased account takes its alerts with it
        null=True,
        blank=True,
        related_name="alerts",
    )
    language = models.CharField(_("langue"), max_length=5, choices=settings.LANGUAGES)
    # The catalogue's filters, as its form cleans them ("" for any).
    words = models.CharField(_("mots"), max_length=100, blank=True)
    country = models.CharField(_("pays"), max_length=2, blank=True)
    programme = models.CharField(_("programme"), max_length=50, blank=True)
    framework = models.CharField(
        _("cadre"), max_length=20, blank=True, choices=Mission.VolunteerStatus.choices
    )
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    state = models.CharField(
        _("état"), max_length=15, choices=State.choices, default=State.PENDING, db_index=True
    )
    # SHA-256 of the confirmation link's token (random, sent once).
    confirm_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # SHA-256 of the unsubscribe and manage link's token; the token is an HMAC of this salt
    # under the site's key (``alerts.tokens``): every digest carries it, no row holds it.
    token_salt = models.CharField(max_length=43, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    # The last digest run (sent or not): missions published since are new for the next one.
    last_run_at = models.DateTimeField(_("dernier examen"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonnée le"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        indexes: ClassVar = [
            models.Index(
                fields=["last_run_at"],
                condition=models.Q(state="active"),
                name="alert_active_by_last_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_frequency_display()})"

    def country_label(self) -> str:
        return country_name(self.country, get_language()) if self.country else ""

    def programme_label(self) -> str:
        """The programme's name (the search keeps its slug); the slug if it is gone."""
        if not self.programme:
            return ""
        found = Programme.objects.filter(slug=self.programme).values_list("name", flat=True)
        return found.first() or self.programme

    def filters(self) -> dict[str, Any]:
        """The search as the catalogue's form cleans it, for ``missions_for_catalogue``."""
        return {
            "q": self.words,
            "country": self.country,
            "programme": self.programme,
            "framework": self.framework,
        }


class SentMission(models.Model):
    """A mission sent to an alert: never sent to it again (the unique key is the last guard)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="sent")
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("envoyée le"))

    class Meta:
        verbose_name = _("mission envoyée")
        verbose_name_plural = _("missions envoyées")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["alert", "mission"], name="alert_mission_once")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}:{self.mission_id}"
