from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail to send, written in the caller's transaction; the key makes it happen once."""

    class State(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("en échec")
        # Not to be sent: expired before the SMTP server took it, replaced by a newer one, or
        # its recipient erased.
        CANCELLED = "cancelled", _("annulé")

    key = models.CharField(_("clé"), max_length=200, unique=True)
    to = models.EmailField(_("destinataire"))
    template = models.CharField(_("modèle"), max_length=100)
    context = models.JSONField(_("contexte"), default=dict, blank=True)
    language = models.CharField(_("langue"), max_length=5, default="fr")
    # Files sent with it, as text: [{"filename", "content", "mimetype"}] (a calendar invitation).
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    # Headers of its own, as {name: value}; a value may name context keys as {key} (a link
    # whose token is a secret, blanked with the context once sent): List-Unsubscribe.
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes: ClassVar = [
            # The sweep's query: pending messages by age.
            models.Index(
                fields=["created_at"],
                condition=models.Q(state="pending"),
                name="outbox_pending_by_age",
            )
        ]
        verbose_name = _("message à envoyer")
        verbose_name_plural = _("messages à envoyer")

    def __str__(self) -> str:
        return self.key
