import secrets
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    """The signing secret of a new endpoint: 256 random bits, generated here, shown to staff."""
    return secrets.token_hex(32)


class Endpoint(models.Model):
    """A receiver staff registered: where to POST which events, and the secret to sign them."""

    name = models.CharField(_("nom"), max_length=100)
    url = models.URLField(_("adresse"), max_length=500)
    # Event names (webhooks.events.Event) as a list: portable to SQLite, read per event in Python.
    events = models.JSONField(_("événements"), default=list)
    secret = models.CharField(_("secret de signature"), max_length=64, default=new_secret)
    active = models.BooleanField(_("actif"), default=True)
    disabled_at = models.DateTimeField(_("désactivé le"), null=True, blank=True)
    # Since when every attempt failed (None after a success): three days of it disable it.
    failing_since = models.DateTimeField(_("en échec depuis"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("point de réception de webhooks")
        verbose_name_plural = _("points de réception de webhooks")

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event for one endpoint, written in the caller's transaction (the outbox pattern)."""

    class State(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("en échec")
        CANCELLED = "cancelled", _("annulé")  # its endpoint disabled before it could be sent

    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("point de réception"), on_delete=models.CASCADE,
        related_name="deliveries",
    )  # fmt: skip
    event = models.CharField(_("événement"), max_length=50)
    # Sent as Volontiers-Webhook-Id, the same at every attempt: receivers drop a repeat by it.
    event_id = models.UUIDField(_("identifiant de l'événement"), default=uuid.uuid4, unique=True)
    payload = models.JSONField(_("contenu"), default=dict)
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_status_code = models.PositiveSmallIntegerField(
        _("dernier code de réponse"), null=True, blank=True
    )
    last_error = models.TextField(_("dernière erreur"), blank=True)
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes: ClassVar = [
            # The sweep's query: pending deliveries by age.
            models.Index(
                fields=["created_at"],
                condition=models.Q(state="pending"),
                name="webhook_pending_by_age",
            )
        ]
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhooks")

    def __str__(self) -> str:
        return f"{self.event} {self.event_id}"
