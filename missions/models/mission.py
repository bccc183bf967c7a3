"""The mission: a volunteer posting, every section of its text, and its eligibility terms."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from missions.eligibility import (
    ABROAD,
    CEFR_LEVELS,
    HOSTED_IN_FRANCE,
    KnockOut,
    MissionTerms,
    ProgrammeTerms,
    publication_problems,
)
from missions.models.programmes import Partner, Programme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


REFERENCE_PATTERN = r"[A-Z0-9][A-Z0-9-]{1,19}"
POSTING_TEXT_HELP = _(
    "Paragraphes séparés par une ligne vide ; éléments de liste commençant par « • »."
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("« %(value)s » n'est pas un fuseau horaire connu (exemple : Africa/Dakar)."),
            code="invalid_time_zone",
            params={"value": value},
        )


def end_of_day(day: dt.date, time_zone: str) -> dt.datetime:
    """The instant a day ends in a time zone: midnight at the start of the next day there."""
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=zoneinfo.ZoneInfo(time_zone)
    )


class MissionQuerySet(models.QuerySet["Mission"]):
    def public(self) -> MissionQuerySet:
        # Closed missions stay visible (with a "closed" notice); drafts and archives do not.
        return self.filter(status__in=[Mission.Status.PUBLISHED, Mission.Status.CLOSED])

    def open(self, now: dt.datetime) -> MissionQuerySet:
        return self.filter(status=Mission.Status.PUBLISHED, deadline_at__gt=now)

    def open_first(self, now: dt.datetime) -> MissionQuerySet:
        """Open missions by nearest deadline, then the others by most recent deadline."""
        is_open = Q(status=Mission.Status.PUBLISHED, deadline_at__gt=now)
        return self.annotate(
            closed_rank=Case(When(is_open, then=Value(0)), default=Value(1)),
            open_deadline=Case(When(is_open, then=F("deadline_at")), default=None),
        ).order_by("closed_rank", "open_deadline", "-deadline_at", "reference")


MissionManager = models.Manager.from_queryset(MissionQuerySet)


class Mission(models.Model):
    """A volunteer posting, with every section of the published text and its eligibility rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        CLOSED = "closed", _("Close")
        ARCHIVED = "archived", _("Archivée")

    class VolunteerStatus(models.TextChoices):
        VSI = "vsi", _("Volontariat de solidarité internationale (VSI)")
        VIE = "vie", _("Volontariat international en entreprise (VIE)")
        SERVICE_CIVIQUE = "service_civique", _("Service civique à l'international")

    class Direction(models.TextChoices):
        ABROAD = ABROAD, _("À l'étranger")
        HOSTED_IN_FRANCE = HOSTED_IN_FRANCE, _("Accueil en France (réciprocité)")

    reference = models.CharField(
        _("référence"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                f"^{REFERENCE_PATTERN}$",
                _("Lettres majuscules, chiffres et tirets uniquement (exemple : 3S1284)."),
            )
        ],
    )
    title = models.CharField(_("intitulé"), max_length=200)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    organisation = models.CharField(_("organisation"), max_length=200, default="France Volontaires")
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("programmes"), related_name="missions", blank=True
    )
    # The relations below are typed by hand: with modeltranslation's registration of this
    # model, django-stubs no longer infers them.
    partners: models.ManyToManyField[Partner, Any] = models.ManyToManyField(
        Partner, verbose_name=_("partenaires"), related_name="missions", blank=True
    )
    recruiters: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recruteur·euses"),
        related_name="recruited_missions",
        blank=True,
        help_text=_("Personnes de l'équipe qui examinent les candidatures de cette mission."),
    )
    review_criteria = models.JSONField(
        _("critères d'évaluation"),
        default=list,
        blank=True,
        help_text=_(
            "Vide : expérience, connaissance de l'ESS, coopération internationale, langues, "
            "motivation."
        ),
    )
    coordinators: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinateurs"),
        related_name="coordinated_missions",
        blank=True,
        help_text=_(
            "Personnes des partenaires qui suivent cette mission et ses candidatures retenues."
        ),
    )

    # Where
    region = models.CharField(_("région"), max_length=100, help_text=_("Exemple : Afrique"))
    host_country = CountryField(_("pays d'accueil"))
    city = models.CharField(_("ville"), max_length=100)
    time_zone = models.CharField(
        _("fuseau horaire"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_(
            "Fuseau horaire de la mission ; la date limite se termine à minuit dans ce fuseau."
        ),
    )

    # Status and dates
    volunteer_status = models.CharField(
        _("statut du volontaire"),
        max_length=20,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.VSI,
    )
    direction = models.CharField(
        _("sens de la mission"),
        max_length=20,
        choices=Direction.choices,
        default=Direction.ABROAD,
        help_text=_(
            "Accueil en France : un VSI de réciprocité, qui accueille en France un·e volontaire "
            "venu·e d'un autre pays (le pays d'accueil est alors la France)."
        ),
    )
    legal_basis = models.TextField(_("cadre légal"), blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("durée (mois)"), validators=[MinValueValidator(1), MaxValueValidator(48)]
    )
    start_date = models.DateField(_("début de la mission"))
    contract_date = models.DateField(
        _("date prévue du contrat"),
        null=True,
        blank=True,
        help_text=_("Les âges se comptent à cette date. Vide : le début de la mission."),
    )
    start_month_only = models.BooleanField(
        _("seul le mois de début est connu"),
        default=False,
        help_text=_("Affiche « janvier 2026 » plutôt qu'une date précise."),
    )
    training_start = models.DateField(
        _("début du stage de préparation au départ"), null=True, blank=True
    )
    training_end = models.DateField(
        _("fin du stage de préparation au départ"), null=True, blank=True
    )
    interview_cutoff_hours = models.PositiveSmallIntegerField(
        _("réservation d'entretien jusqu'à (heures avant)"),
        default=24,
        help_text=_(
            "Jusqu'à quand un·e candidat·e peut réserver, déplacer ou annuler son entretien."
        ),
    )
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    # The instant it was first published (set on publication): what the alerts' digests call new.
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)
    deadline_date = models.DateField(
        _("date limite de candidature"),
        help_text=_(
            "Les candidatures sont reçues jusqu'à la fin de ce jour, dans le fuseau de la mission."
        ),
    )
    deadline_at = models.DateTimeField(
        _("clôture des candidatures"),
        editable=False,
        db_index=True,
        help_text=_("Instant exact de clôture, calculé à partir de la date limite et du fuseau."),
    )

    # How to apply
    contact_email = models.EmailField(_("e-mail de contact"))
    application_subject = models.CharField(_("objet de la candidature"), max_length=250)

    # The posting's sections: paragraphs separated by a blank line, list items starting with "• ".
    context = models.TextField(_("contexte de la mission"), blank=True)
    summary = models.TextField(_("résumé de la mission"), blank=True)
    expected_results = models.TextField(_("résultats attendus"), blank=True)
    tasks = models.TextField(_("nature de la mission"), blank=True, help_text=POSTING_TEXT_HELP)
    important_notice = models.TextField(_("avertissement"), blank=True)
    profile_education = models.TextField(_("formation"), blank=True, help_text=POSTING_TEXT_HELP)
    profile_experience = models.TextField(_("expérience"), blank=True, help_text=POSTING_TEXT_HELP)
    skills = models.TextField(_("compétences recherchées"), blank=True, help_text=POSTING_TEXT_HELP)
    languages_required = models.JSONField(
        _("langues exigées"),
        default=dict,
        blank=True,
        help_text=_(
            'Langue (code ISO 639-1) et niveau CECRL minimum, par exemple {"fr": "C1", "en": "B2"}.'
        ),
    )
    languages_note = models.TextField(_("langues"), blank=True)
    profile_other = models.TextField(_("autres attentes"), blank=True)
    conditions = models.TextField(
        _("conditions du contrat"), blank=True, help_text=POSTING_TEXT_HELP
    )
    selection = models.TextField(_("candidature et sélection"), blank=True)

    # The mission's own eligibility terms; the framework's are in missions/eligibility/.
    excluded_nationalities = CountryField(
        _("nationalités exclues"),
        multiple=True,
        blank=True,
        help_text=_(
            "Exclusions propres à la mission, en plus de celles de la loi (pour un VSI, "
            "le pays d'accueil)."
        ),
    )
    excluded_residences = CountryField(
        _("pays de résidence exclus"),
        multiple=True,
        blank=True,
        help_text=_(
            "Exclusions propres à la mission, en plus de celles de la loi (pour un VSI, "
            "le pays d'accueil)."
        ),
    )
    min_age = models.PositiveSmallIntegerField(
        _("âge minimum"),
        default=18,
        validators=[MinValueValidator(16), MaxValueValidator(99)],
        help_text=_("Propre à la mission, à la date prévue du contrat."),
    )
    min_experience_years = models.PositiveSmallIntegerField(
        _("années d'expérience demandées"), default=0, validators=[MaxValueValidator(40)]
    )

    # The number of the last application sent (3S1284-0012: 12), kept even when that
    # application is deleted: a reference is never given twice.
    last_application_number = models.PositiveIntegerField(
        _("numéro de la dernière candidature"), default=0, editable=False
    )

    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    # Declared, for the type checker: modeltranslation swaps the manager's class at run time
    # for one that reads the active language's columns (missions/translation.py).
    objects: ClassVar[MissionManager[Mission]] = MissionManager()

    class Meta:
        ordering = ("deadline_at", "reference")
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        indexes: ClassVar = [
            models.Index(fields=["status", "deadline_at"], name="mission_status_deadline"),
            models.Index(fields=["host_country", "status"], name="mission_country_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived data only: the exact instant applications close.
        if self.deadline_date and self.time_zone:
            self.deadline_at = end_of_day(self.deadline_date, self.time_zone)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if kwargs.get("update_fields") is None and not (self._state.adding or args or kwargs):
            # The application counter is application_submit's alone (under a row lock): saving
            # an instance read before a submission must not take the counter back.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "last_application_number"
            ]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"deadline_date", "time_zone"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "deadline_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("missions:detail", kwargs={"reference": self.reference})

    def clean(self) -> None:
        errors: dict[str, list[StrOrPromise]] = {}
        if self.training_start and self.training_end and self.training_end < self.training_start:
            errors["training_end"] = [_("La fin du stage ne peut pas précéder son début.")]
        if self.status == self.Status.PUBLISHED and self.duration_months:
            # The programmes' ages are checked by the admin form, which sees their new choice.
            for field, problems in self.publication_problems(programmes=()).items():
                errors.setdefault(field, []).extend(problems)
        languages = self.languages_required
        if not isinstance(languages, dict) or any(
            level not in CEFR_LEVELS for level in languages.values()
        ):
            errors["languages_required"] = [
                _('Indiquez un niveau CECRL (A1 à C2) par langue, par exemple {"fr": "B2"}.')
            ]
        if errors:
            raise ValidationError(errors)

    def publication_problems(
        self, programmes: Iterable[ProgrammeTerms] | None = None
    ) -> dict[str, list[str]]:
        """Why this mission may not be published, by field (its own programmes' ages too,
        unless the programmes are given)."""
        if programmes is None:
            programmes = [ProgrammeTerms.from_programme(p) for p in self.programmes.all()]
        return publication_problems(
            framework=self.volunteer_status,
            direction=self.direction,
            host_country=self.host_country.code,
            duration_months=self.duration_months,
            min_age=self.min_age,
            programmes=programmes,
        )

    def terms(
        self,
        programmes: Iterable[ProgrammeTerms] | None = None,
        knockouts: Iterable[KnockOut] | None = None,
    ) -> MissionTerms:
        """This mission's parameters for the eligibility rules, with its programmes' and its
        knock-out questions (those given, as ``missions.selectors.mission_links`` reads them,
        or its own)."""
        return MissionTerms.from_mission(self, programmes, knockouts)

    def is_open(self, now: dt.datetime) -> bool:
        return self.status == self.Status.PUBLISHED and now < self.deadline_at
