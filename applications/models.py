import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from missions.models import Mission
from volunteers.documents import EXTENSIONS
from volunteers.models import Volunteer


class Stage(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Envoyée")
    IN_REVIEW = "in_review", _("En cours d'examen")
    SHORTLISTED = "shortlisted", _("Présélectionnée")
    INTERVIEW = "interview", _("Entretien")
    SELECTED = "selected", _("Retenue")
    REJECTED = "rejected", _("Non retenue")
    WITHDRAWN = "withdrawn", _("Retirée")


# A candidate may withdraw until a decision is taken.
WITHDRAWABLE = (Stage.SUBMITTED, Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.INTERVIEW)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def submitted(self) -> "ApplicationQuerySet":
        return self.exclude(stage=Stage.DRAFT)

    def drafts(self) -> "ApplicationQuerySet":
        return self.filter(stage=Stage.DRAFT)


class Application(models.Model):
    """A candidate's application to a mission: a draft until submitted, then reviewed by staff."""

    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("candidat·e"),
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="applications", verbose_name=_("mission")
    )
    number = models.PositiveIntegerField(_("numéro"), null=True, blank=True, editable=False)
    reference = models.CharField(
        _("référence"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    stage = models.CharField(
        _("étape"), max_length=12, choices=Stage.choices, default=Stage.DRAFT, db_index=True
    )
    motivation = models.TextField(_("motivation"), max_length=2000, blank=True)
    use_profile_cv = models.BooleanField(_("CV du profil"), default=True)
    declaration = models.BooleanField(_("déclaration sur l'honneur"), default=False)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    eligibility = models.JSONField(_("éligibilité à l'envoi"), default=dict, blank=True)
    profile = models.JSONField(_("profil à l'envoi"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ("-submitted_at", "-created_at")
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        constraints: ClassVar = [
            # One application per candidate and mission: a double click or two tabs make one.
            models.UniqueConstraint(
                fields=["volunteer", "mission"], name="one_application_per_mission"
            ),
            models.UniqueConstraint(
                fields=["mission", "number"], name="application_number_per_mission"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["mission", "stage"], name="application_mission_stage"),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.mission.reference} – {_('brouillon')}"

    def get_absolute_url(self) -> str:
        return reverse("applications:apply", kwargs={"reference": self.mission.reference})

    @property
    def can_withdraw(self) -> bool:
        return self.stage in WITHDRAWABLE


def document_upload_to(document: "ApplicationDocument", filename: str) -> str:
    # Random names only: no candidate name and no original file name on disk.
    return f"applications/{document.public_id.hex[:2]}/{document.public_id.hex}{document.extension}"


class ApplicationDocument(models.Model):
    """A file sent with an application (the version sent, even if the profile's CV changes)."""

    class Kind(models.TextChoices):
        CV = "cv", _("CV")
        LETTER = "letter", _("lettre de motivation")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("candidature"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("fichier"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("nom d'origine"), max_length=120)
    file_type = models.CharField(_("format"), max_length=8)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_document_per_kind"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("applications:document", kwargs={"public_id": self.public_id})

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.file_type, "")


class StageChange(models.Model):
    """One move of an application from a stage to another: who, when, why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="history", verbose_name=_("candidature")
    )
    from_stage = models.CharField(_("de"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("vers"), max_length=12, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    comment = models.TextField(_("commentaire"), blank=True, max_length=2000)

    class Meta:
        ordering = ("at", "pk")
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("historique des étapes")

    def __str__(self) -> str:
        return f"{self.get_from_stage_display() or '—'} → {self.get_to_stage_display()}"
