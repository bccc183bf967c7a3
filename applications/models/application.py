"""The application and the review around it: stages and their moves, history,
reviews, notes, refusal reasons, the export log."""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Avg, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from applications.models.source import Source
from missions.models import Mission
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

# The stages past the first selection: coordinators see these applications and nothing else.
SHORTLIST_STAGES = (Stage.SHORTLISTED, Stage.INTERVIEW, Stage.SELECTED)

# The moves staff may make; anything else (withdrawn to selected, say) is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.SUBMITTED: frozenset({Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.REJECTED}),
    Stage.IN_REVIEW: frozenset({Stage.SHORTLISTED, Stage.INTERVIEW, Stage.REJECTED}),
    Stage.SHORTLISTED: frozenset(
        {Stage.IN_REVIEW, Stage.INTERVIEW, Stage.SELECTED, Stage.REJECTED}
    ),
    Stage.INTERVIEW: frozenset({Stage.SHORTLISTED, Stage.SELECTED, Stage.REJECTED}),
    Stage.SELECTED: frozenset({Stage.REJECTED}),
    Stage.REJECTED: frozenset({Stage.IN_REVIEW}),
    Stage.DRAFT: frozenset(),
    Stage.WITHDRAWN: frozenset(),
}
# Stages where an application waits for staff (the dashboard's waiting longest).
WAITING_STAGES = ["submitted", "in_review", "shortlisted", "interview"]

# Stages staff move applications to, and those that tell the candidate by e-mail.
STAFF_STAGES = (Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.INTERVIEW, Stage.SELECTED, Stage.REJECTED)
NOTIFIED_STAGES = (Stage.SHORTLISTED, Stage.INTERVIEW, Stage.SELECTED, Stage.REJECTED)

# Default review criteria, scored 1 to 5; a mission may set its own.
DEFAULT_CRITERIA = {
    "experience": _("Expérience"),
    "ess": _("Connaissance de l'ESS"),
    "cooperation": _("Coopération internationale"),
    "languages": _("Langues"),
    "motivation": _("Motivation"),
}


class RefusalReason(models.Model):
    """Why an application was not kept, and what the candidate may be told (staff edit these)."""

    label = models.CharField(_("motif"), max_length=200)
    sentence_fr = models.TextField(_("phrase pour le candidat (français)"), blank=True)
    sentence_en = models.TextField(_("phrase pour le candidat (anglais)"), blank=True)
    active = models.BooleanField(_("proposé"), default=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ("order", "label")
        verbose_name = _("motif de refus")
        verbose_name_plural = _("motifs de refus")

    def __str__(self) -> str:
        return self.label

    def sentence(self, language: str) -> str:
        return self.sentence_en if language == "en" and self.sentence_en else self.sentence_fr


class ApplicationQuerySet(models.QuerySet["Application"]):
    def submitted(self) -> "ApplicationQuerySet":
        return self.exclude(stage=Stage.DRAFT)

    def drafts(self) -> "ApplicationQuerySet":
        return self.filter(stage=Stage.DRAFT)

    def with_average_score(self) -> "ApplicationQuerySet":
        """Each application's average review score as ``avg_score``, from one subquery
        (no GROUP BY over the row's columns, which the admin list joins widely)."""
        averages = (
            Review.objects.filter(application=OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(value=Avg("average"))
            .values("value")
        )
        return self.annotate(avg_score=Subquery(averages))


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
    # When the application entered its stage (applications.stages): the dashboard's time in
    # stage and the applications waiting longest. Drafts count from their creation.
    stage_since = models.DateTimeField(_("dans cette étape depuis"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("confiée à"),
    )
    refusal_reason = models.ForeignKey(
        RefusalReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("motif de refus"),
    )
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    # Set by staff once a selected volunteer has left for the mission, which needs the
    # pre-departure training attended (review.training.applications_mark_departed).
    departed_at = models.DateTimeField(_("parti·e le"), null=True, blank=True)
    source = models.CharField(
        _("provenance"), max_length=10, choices=Source.choices, blank=True, db_index=True
    )
    # The external site: its utm_source, or the host of the page that linked to the mission.
    source_detail = models.CharField(_("site d'origine"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()
    # Every change, by whom and when (django-simple-history), besides the stage history.
    audit = HistoricalRecords(
        excluded_fields=["eligibility", "profile", "updated_at"], verbose_name=_("historique")
    )

    class Meta:
        ordering = ("-submitted_at", "-created_at")
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        permissions = (
            ("move_stage", _("Peut changer l'étape des candidatures")),
            ("assign_application", _("Peut confier des candidatures")),
            ("export_applications", _("Peut exporter les candidatures de toutes les missions")),
        )
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
            # The dashboard's applications waiting longest: those still under review, oldest
            # first, read in order from here.
            models.Index(
                fields=["stage_since"],
                condition=models.Q(stage__in=WAITING_STAGES),
                name="application_waiting",
            ),
            # …and of some missions (a programme, a country, a coordinator's).
            models.Index(
                fields=["mission", "stage_since"],
                condition=models.Q(stage__in=WAITING_STAGES),
                name="application_mission_waiting",
            ),
            # The staff list (submitted applications, latest first), whole, for one mission or
            # one mission's stage: a page is read in order from these, never sorted from every
            # matching row. Drafts (no submission date: they would come first) are left out.
            models.Index(
                fields=["-submitted_at", "-created_at", "-id"],
                condition=~models.Q(stage=Stage.DRAFT),
                name="application_list_order",
            ),
            models.Index(
                fields=["mission", "-submitted_at", "-created_at", "-id"],
                condition=~models.Q(stage=Stage.DRAFT),
                name="application_mission_list_order",
            ),
            models.Index(
                fields=["mission", "stage", "-submitted_at", "-created_at", "-id"],
                condition=~models.Q(stage=Stage.DRAFT),
                name="application_mission_stage_list",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.mission.reference} – {_('brouillon')}"

    def get_absolute_url(self) -> str:
        return reverse("applications:apply", kwargs={"reference": self.mission.reference})

    @property
    def can_withdraw(self) -> bool:
        return self.stage in WITHDRAWABLE


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
    # The program that made the move for ``by``: an API key's name and prefix (api.keys).
    via = models.CharField(_("via"), max_length=80, blank=True)

    class Meta:
        ordering = ("at", "pk")
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("historique des étapes")

    def __str__(self) -> str:
        return f"{self.get_from_stage_display() or '—'} → {self.get_to_stage_display()}"


class Review(models.Model):
    """One reviewer's scores (1 to 5 per criterion) and comment on an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("candidature")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("évaluateur·rice"),
    )
    scores = models.JSONField(_("notes"), default=dict)
    average = models.DecimalField(_("moyenne"), max_digits=3, decimal_places=2)
    comment = models.TextField(_("commentaire"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_review_per_reviewer"
            ),
            models.CheckConstraint(
                condition=models.Q(average__gte=1, average__lte=5), name="review_average_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.reviewer} ({self.average})"


class Note(models.Model):
    """An internal note on an application, for staff only."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="notes", verbose_name=_("candidature")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur·rice"),
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)

    class Meta:
        ordering = ("created_at",)
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")

    def __str__(self) -> str:
        return self.text[:60]


class ExportLog(models.Model):
    """Who exported which candidates' data, when, in which format (for staff to see)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        CSV_SEMICOLON = "csv-fr", _("CSV (point-virgule)")
        XLSX = "xlsx", "XLSX"
        ZIP = "zip", "ZIP"
        # One PDF for a selection committee: selection.dossier.
        DOSSIER = "pdf", _("Dossier PDF")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    mission = models.ForeignKey(
        Mission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mission"),
    )

    class State(models.TextChoices):
        DONE = "done", _("téléchargé")
        PENDING = "pending", _("en préparation")
        READY = "ready", _("prêt")
        FAILED = "failed", _("en échec")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    rows = models.PositiveIntegerField(_("lignes"))
    stages = models.JSONField(_("étapes"), default=list, blank=True)
    # The language of the file: its headings, and the mission's text (missions/languages.py).
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Big exports are built by a Celery task into a private file, then downloaded.
    state = models.CharField(_("état"), max_length=8, choices=State.choices, default=State.DONE)
    file = models.FileField(_("fichier"), upload_to="exports/", blank=True, max_length=200)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("export")
        verbose_name_plural = _("journal des exports")

    def __str__(self) -> str:
        return f"{self.get_format_display()} – {self.rows}"

    def get_absolute_url(self) -> str:
        return reverse("coordination:job", kwargs={"public_id": self.public_id})
