"""API keys: what a program of an organisation (its HR software, its CRM) signs in with.

A key is made of a public prefix and a secret, ``prefix.secret``; the database keeps the
prefix and a hash of the whole (djangorestframework-api-key's ``AbstractAPIKey``, SHA-512:
the secret is 32 random characters, so no slow hash is needed). Staff see the key once, when
they create it. Each key has a name, an expiry, scopes (what it may do), and may be limited to
some missions; it acts on behalf of the staff member who created it, and every stage move it
makes is recorded with its name (``api.keys``).
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager

from missions.models import Mission


class Scope(models.TextChoices):
    APPLICATIONS_READ = "applications:read", _("Lire les candidatures et leurs documents")
    APPLICATIONS_STAGE = "applications:stage", _("Changer l'étape des candidatures")
    EXPORTS = "exports", _("Exporter les candidatures retenues d'une mission")


class ApiKey(AbstractAPIKey):
    name = models.CharField(
        _("nom"), max_length=50, help_text=_("Le programme qui s'en sert, par exemple « SIRH ».")
    )
    revoked = models.BooleanField(
        _("révoquée"), default=False, help_text=_("Une clé révoquée ne sert plus, pour toujours.")
    )
    expiry_date = models.DateTimeField(
        _("expire le"), null=True, help_text=_("Après cette date, la clé est refusée.")
    )
    scopes = models.JSONField(
        _("portées"), default=list, help_text=_("Ce que la clé permet de faire.")
    )
    missions = models.ManyToManyField(
        Mission,
        verbose_name=_("missions"),
        blank=True,
        related_name="+",
        help_text=_("Vide : toutes les missions. Sinon, la clé ne voit que celles-ci."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("dernier usage"), null=True, editable=False)
    # Set when missions were chosen: a key whose missions were all deleted since sees none,
    # not all of them.
    limited = models.BooleanField(_("limitée à des missions"), default=False, editable=False)

    objects: ClassVar[APIKeyManager] = APIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("clé d'API")  # type: ignore[assignment]
        verbose_name_plural = _("clés d'API")  # type: ignore[assignment]

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
