"""A candidate's request for a human look at an eligibility refusal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from missions.models.mission import Mission


class ReviewRequest(models.Model):
    """A candidate asks staff to look again at an eligibility refusal (reaches the admin)."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="review_requests", verbose_name=_("mission")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("compte"),
    )
    email = models.EmailField(_("e-mail"))
    message = models.TextField(_("message"), max_length=2000)
    verdict = models.JSONField(_("verdict au moment de la demande"), default=dict)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("demande de réexamen")
        verbose_name_plural = _("demandes de réexamen")

    def __str__(self) -> str:
        return f"{self.mission.reference} – {self.email}"
