"""Staff search over the pool and past applicants (one row per volunteer), and invitations."""

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from missions.models import Mission
from volunteers.models import Volunteer


class SearchProfile(models.Model):
    """What staff search finds of a volunteer: the words of the profile, of the answers and of
    the documents' texts, and their vector; rebuilt by the worker (``search_profile_refresh``)."""

    volunteer = models.OneToOneField(
        Volunteer, on_delete=models.CASCADE, related_name="search_profile", primary_key=True
    )
    # Sent at least one application (a past applicant); pool membership is read live.
    applied = models.BooleanField(default=False)
    profile_text = models.TextField(blank=True)
    answers_text = models.TextField(blank=True)
    documents_text = models.TextField(blank=True)
    # French and English, unaccented (fr_unaccent, en_unaccent), with a GIN index made by the
    # first migration on PostgreSQL only; null on SQLite, where search falls back to icontains.
    vector = SearchVectorField(null=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("profil de recherche")
        verbose_name_plural = _("recherche dans le vivier")
        default_permissions = ()
        permissions: ClassVar = [
            ("search_pool", _("Peut chercher dans le vivier et les anciens candidats")),
        ]

    def __str__(self) -> str:
        return str(self.volunteer_id)


class Invitation(models.Model):
    """A pool member invited by staff to apply to a mission: once per volunteer and mission."""

    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("volontaire"),
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("mission")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"))

    class Meta:
        verbose_name = _("invitation à candidater")
        verbose_name_plural = _("invitations à candidater")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["volunteer", "mission"], name="invited_once_per_mission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} – {self.mission}"
