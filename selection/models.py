"""Co-selection with partners: a review link sent to a named person of a partner
organisation (no account; a one-time code to that address opens it), the opinions given
through it, and the log of every view and download. The dossier a selection committee
reads is built by ``selection.dossier`` from these and the application."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ExportLog
from missions.models import Mission


class PartnerLink(models.Model):
    """A partner's access to some candidates of one mission: expiring, revocable, redacted."""

    class Scope(models.TextChoices):
        SHORTLIST = "shortlist", _("Les candidatures présélectionnées (au moment de l'ouverture)")
        CHOSEN = "chosen", _("Les candidatures choisies ci-dessous")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="partner_links", verbose_name=_("mission")
    )
    organisation = models.CharField(_("organisation partenaire"), max_length=200)
    person = models.CharField(_("personne"), max_length=200)
    email = models.EmailField(_("adresse e-mail"))
    language = models.CharField(
        _("langue des e-mails"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    scope = models.CharField(
        _("candidatures montrées"), max_length=10, choices=Scope.choices, default=Scope.SHORTLIST
    )
    applications = models.ManyToManyField(
        Application, blank=True, related_name="partner_links", verbose_name=_("candidatures")
    )
    # Redactions: what the partner does not see, in the pages and in the dossier.
    hide_birth_date = models.BooleanField(_("masquer la date de naissance et l'âge"), default=True)
    hide_nationality = models.BooleanField(
        _("masquer les nationalités et la résidence"), default=False
    )
    hide_contact = models.BooleanField(
        _("masquer les coordonnées (e-mail, téléphone)"),
        default=True,
        help_text=_("Le CV et la lettre en contiennent souvent : masquez-les aussi si besoin."),
    )
    hide_documents = models.BooleanField(
        _("masquer le CV et la lettre"),
        default=False,
        help_text=_("Le partenaire ne voit alors ni le CV, ni la lettre, ni leur texte."),
    )
    allow_downloads = models.BooleanField(
        _("autoriser le téléchargement des documents"),
        default=False,
        help_text=_("Sinon, le CV et la lettre se lisent dans le navigateur seulement."),
    )
    allow_dossier = models.BooleanField(
        _("autoriser le téléchargement du dossier PDF"), default=False
    )
    token_hash = models.CharField(
        _("empreinte du jeton"), max_length=64, unique=True, editable=False
    )
    # The one-time code sent to ``email``: only its hash, its time and the tries are kept.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_sent_at = models.DateTimeField(_("code envoyé le"), null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(_("essais de code"), default=0, editable=False)
    locked_at = models.DateTimeField(_("verrouillé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("lien de co-sélection")
        verbose_name_plural = _("liens de co-sélection")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.person}"

    def closed(self, now: dt.datetime) -> bool:
        """Revoked, expired or locked: the link answers 410."""
        return bool(self.revoked_at or self.locked_at or now >= self.expires_at)


class PartnerOpinion(models.Model):
    """A partner's opinion on one candidate, given through a link, beside staff reviews."""

    class Verdict(models.TextChoices):
        FAVOURABLE = "favourable", _("Favorable")
        RESERVED = "reserved", _("Réservé")
        UNFAVOURABLE = "unfavourable", _("Défavorable")

    link = models.ForeignKey(
        PartnerLink, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("lien")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="partner_opinions",
        verbose_name=_("candidature"),
    )
    verdict = models.CharField(_("avis"), max_length=12, choices=Verdict.choices)
    comment = models.TextField(_("commentaire"), blank=True, max_length=4000)
    scores = models.JSONField(_("notes"), default=dict, blank=True)
    average = models.DecimalField(
        _("moyenne"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("donné le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ("created_at",)
        verbose_name = _("avis de partenaire")
        verbose_name_plural = _("avis de partenaires")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["link", "application"], name="one_opinion_per_link_and_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.link.organisation} – {self.get_verdict_display()}"


class PartnerAccess(models.Model):
    """One access through a partner link: what was seen or downloaded, when, by which address."""

    class Action(models.TextChoices):
        CODE_SENT = "code_sent", _("code envoyé")
        CODE_FAILED = "code_failed", _("code erroné")
        OPENED = "opened", _("lien ouvert")
        LOCKED = "locked", _("lien verrouillé")
        VIEWED = "viewed", _("candidature consultée")
        DOCUMENT_VIEWED = "doc_viewed", _("document lu")
        DOCUMENT_DOWNLOADED = "doc_download", _("document téléchargé")
        DOSSIER = "dossier", _("dossier PDF téléchargé")
        OPINION = "opinion", _("avis donné")

    link = models.ForeignKey(
        PartnerLink, on_delete=models.CASCADE, related_name="accesses", verbose_name=_("lien")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_accesses",
        verbose_name=_("candidature"),
    )
    # The document's name, not a key: the log outlives a document the candidate replaces,
    # and replacing one costs no update of the log.
    document = models.CharField(_("document"), max_length=120, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    # The address the link was sent to, as it was then (the link's may be corrected later).
    email = models.EmailField(_("adresse"))
    at = models.DateTimeField(_("le"), db_index=True)

    class Meta:
        ordering = ("-at",)
        verbose_name = _("accès de partenaire")
        verbose_name_plural = _("journal des accès des partenaires")

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.email}"


class PartnerDossier(models.Model):
    """A dossier PDF a partner asked for through their link: built by the worker (the export
    log's row holds its state and file), downloaded from the link's page, logged."""

    link = models.ForeignKey(
        PartnerLink, on_delete=models.CASCADE, related_name="dossiers", verbose_name=_("lien")
    )
    export = models.OneToOneField(
        ExportLog, on_delete=models.CASCADE, related_name="+", verbose_name=_("export")
    )

    class Meta:
        verbose_name = _("dossier d'un partenaire")
        verbose_name_plural = _("dossiers des partenaires")

    def __str__(self) -> str:
        return f"{self.link} – {self.export}"
