"""The questions a mission asks beyond the letter and the CV.

A question belongs to a bank (a programme's or an organisation's, reusable by any mission) or
to one mission (``mission`` set). A mission asks the questions linked to it by
``MissionQuestion``, in their order; a question of its own is linked when it is created.
Editing a question that already has submitted answers makes a new version (``new_version``):
the old one stays, retired, with the answers given to it; each submitted application keeps
its own copy of the labels and answers anyway (``applications.models.Answer``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions import cache as mission_cache
from missions.models.mission import Mission
from missions.models.programmes import Programme


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Texte court")
    LONG_TEXT = "long_text", _("Texte long")
    NUMBER = "number", _("Nombre")
    YES_NO = "yes_no", _("Oui / non")
    CHOICE = "choice", _("Choix unique")
    MULTIPLE = "multiple", _("Choix multiple")
    DATE = "date", _("Date")
    COUNTRY = "country", _("Pays")
    LANGUAGE = "language", _("Langue et niveau (CECRL)")
    FILE = "file", _("Fichier")


# The kinds whose answers are one of a list (they may be knock-outs, conditions, filters).
CHOICE_KINDS = (QuestionKind.YES_NO, QuestionKind.CHOICE, QuestionKind.MULTIPLE)
YES_NO_CHOICES = (
    {"value": "yes", "fr": "Oui", "en": "Yes"},
    {"value": "no", "fr": "Non", "en": "No"},
)
# The longest answer to a long text, whatever the question says.
LONG_TEXT_MAX = 10_000
SHORT_TEXT_MAX = 300

# The fields whose change alters what an answer means: changing one of them on a question
# with submitted answers makes a new version.
MEANING_FIELDS = (
    "kind", "label_fr", "label_en", "choices", "knockout_values", "min_number", "max_number",
    "min_date", "max_date", "max_length", "condition_question", "condition_values",
)  # fmt: skip


def validate_choices(value: Any) -> None:
    """A list of {"value", "fr", "en"}: values unique and short, both labels given."""
    message = _(
        'Une liste de choix : [{"value": "b", "fr": "Permis B", "en": "Driving licence B"}, …].'
    )
    if not isinstance(value, list):
        raise ValidationError(message, code="invalid_choices")
    seen: set[str] = set()
    for choice in value:
        if not isinstance(choice, dict) or set(choice) != {"value", "fr", "en"}:
            raise ValidationError(message, code="invalid_choices")
        code = choice["value"]
        if not isinstance(code, str) or not code or len(code) > 50 or code in seen:
            raise ValidationError(
                _("Chaque choix a une valeur unique, de 50 caractères au plus."),
                code="invalid_choices",
            )
        if not all(isinstance(choice[k], str) and choice[k].strip() for k in ("fr", "en")):
            raise ValidationError(
                _("Chaque choix a un libellé en français et en anglais."), code="invalid_choices"
            )
        seen.add(code)


class QuestionQuerySet(models.QuerySet["Question"]):
    def current(self) -> QuestionQuerySet:
        return self.filter(retired_at__isnull=True)


class Question(models.Model):
    """One question, with its labels in French and English, its type, bounds and condition."""

    Kind = QuestionKind

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("banque du programme"),
    )
    organisation = models.CharField(
        _("banque de l'organisation"),
        max_length=200,
        blank=True,
        help_text=_("Le nom de l'organisation, tel qu'il figure sur ses missions."),
    )
    mission = models.ForeignKey(
        Mission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_questions",
        verbose_name=_("propre à la mission"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    label_fr = models.CharField(_("libellé (français)"), max_length=300)
    label_en = models.CharField(_("libellé (anglais)"), max_length=300)
    help_fr = models.TextField(_("aide (français)"), blank=True, max_length=1000)
    help_en = models.TextField(_("aide (anglais)"), blank=True, max_length=1000)
    required = models.BooleanField(_("obligatoire"), default=False)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    choices = models.JSONField(
        _("choix"),
        default=list,
        blank=True,
        validators=[validate_choices],
        help_text=_(
            'Pour un choix unique ou multiple : [{"value": "b", "fr": "Permis B", '
            '"en": "Driving licence B"}, …].'
        ),
    )
    knockout_values = models.JSONField(
        _("réponses éliminatoires"),
        default=list,
        blank=True,
        help_text=_(
            "Les valeurs qui rendent la candidature impossible pour la mission (« no » pour "
            'un oui / non, la valeur d\'un choix), par exemple ["no"].'
        ),
    )
    ask_before_applying = models.BooleanField(
        _("demander avant la candidature"),
        default=False,
        help_text=_(
            "Une question éliminatoire posée aussi dans la vérification rapide de la page de la "
            "mission, avant toute inscription."
        ),
    )
    min_number = models.DecimalField(
        _("nombre minimum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_number = models.DecimalField(
        _("nombre maximum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    min_date = models.DateField(_("date au plus tôt"), null=True, blank=True)
    max_date = models.DateField(_("date au plus tard"), null=True, blank=True)
    max_length = models.PositiveIntegerField(
        _("longueur maximale"),
        null=True,
        blank=True,
        help_text=_("En caractères, pour un texte (10 000 au plus pour un texte long)."),
    )
    condition_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("affichée seulement si la question"),
    )
    condition_values = models.JSONField(
        _("a pour réponse l'une de"),
        default=list,
        blank=True,
        help_text=_('Les valeurs qui font afficher cette question, par exemple ["yes"].'),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="next_version",
        verbose_name=_("version précédente"),
    )
    retired_at = models.DateTimeField(_("remplacée le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ("order", "pk")
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=False)
                | ~models.Q(organisation="")
                | models.Q(mission__isnull=False),
                name="question_has_an_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.label_fr

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if self.mission_id and self.retired_at is None:
            # A mission's own question is asked by it, at its own place.
            _link, created = MissionQuestion.objects.update_or_create(
                mission_id=self.mission_id, question=self, defaults={"order": self.order}
            )
            if created:  # the pages and apply steps read whether a mission asks questions
                transaction.on_commit(mission_cache.bump)

    def label(self, language: str) -> str:
        return self.label_en if language == "en" and self.label_en else self.label_fr

    def help(self, language: str) -> str:
        return self.help_en if language == "en" and self.help_en else self.help_fr

    @property
    def owner(self) -> str:
        if self.mission_id:
            return str(_("Mission"))
        if self.programme_id:
            return str(self.programme)
        return self.organisation

    @property
    def options(self) -> list[dict[str, str]]:
        """The choices offered: yes and no for a yes/no question, else its own list."""
        if self.kind == QuestionKind.YES_NO:
            return list(YES_NO_CHOICES)
        return list(self.choices or [])

    def choice_label(self, value: str, language: str) -> str:
        for option in self.options:
            if option["value"] == value:
                return option["en"] if language == "en" else option["fr"]
        return value

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE) and not self.choices:
            errors["choices"] = [_("Un choix unique ou multiple a au moins un choix.")]
        values = (
            {option["value"] for option in self.options} if self.kind in CHOICE_KINDS else set()
        )
        knockouts = self.knockout_values or []
        if knockouts and self.kind not in CHOICE_KINDS:
            errors["knockout_values"] = [
                _("Seules les questions oui / non et à choix peuvent être éliminatoires.")
            ]
        elif not isinstance(knockouts, list) or not set(knockouts) <= values:
            errors["knockout_values"] = [
                _("Les réponses éliminatoires sont des valeurs parmi les choix de la question.")
            ]
        if self.ask_before_applying and not knockouts:
            errors["ask_before_applying"] = [
                _("Seule une question éliminatoire est posée avant la candidature.")
            ]
        low, high = self.min_number, self.max_number
        if low is not None and high is not None and low > high:
            errors["max_number"] = [_("Le maximum ne peut pas être inférieur au minimum.")]
        if self.min_date and self.max_date and self.min_date > self.max_date:
            errors["max_date"] = [
                _("La date au plus tard ne peut pas précéder la date au plus tôt.")
            ]
        if self.max_length is not None and self.max_length > LONG_TEXT_MAX:
            errors["max_length"] = [_("10 000 caractères au plus.")]
        condition = self.condition_question
        if condition is not None:
            if condition.pk == self.pk or condition.kind not in CHOICE_KINDS:
                errors["condition_question"] = [
                    _("Une condition porte sur une autre question, oui / non ou à choix.")
                ]
            elif not self.condition_values or not set(self.condition_values) <= {
                option["value"] for option in condition.options
            }:
                errors["condition_values"] = [
                    _("Indiquez une ou plusieurs valeurs parmi les choix de la question.")
                ]
        if errors:
            raise ValidationError(errors)

    def has_submitted_answers(self) -> bool:
        return self.answers.exclude(application__stage="draft").exists()


class MissionQuestion(models.Model):
    """A question a mission asks, at its place in the mission's form."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="question_links", verbose_name=_("mission")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="mission_links",
        verbose_name=_("question"),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ("order", "pk")
        verbose_name = _("question de la mission")
        verbose_name_plural = _("questions de la mission")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mission", "question"], name="mission_question_once"),
        ]

    def __str__(self) -> str:
        return str(self.question)


def questions_prefetch() -> models.Prefetch[Any]:
    """For ``prefetch_related``: a mission's questions, in order, in one query."""
    return models.Prefetch("question_links", queryset=ordered_links())


def ordered_links() -> models.QuerySet[MissionQuestion]:
    return MissionQuestion.objects.select_related("question").order_by("order", "pk")


def mission_questions(mission: Mission) -> list[Question]:
    """The questions a mission asks, in order (prefetched by ``questions_prefetch``, or read
    in one query, leaving the mission as it is: it may be shared, ``missions.sections``)."""
    if "question_links" in getattr(mission, "_prefetched_objects_cache", {}):
        links = mission.question_links.all()
    else:
        links = ordered_links().filter(mission=mission)
    return [link.question for link in links]


@transaction.atomic
def new_version(question: Question, changes: dict[str, Any]) -> Question:
    """Retire a question with submitted answers and put a new version in its place everywhere
    it is asked (and as the condition of the questions that depend on it)."""
    old = Question.objects.select_for_update().get(pk=question.pk)
    fresh = Question.objects.get(pk=question.pk)
    for name, value in changes.items():
        setattr(fresh, name, value)
    fresh.pk = None
    fresh.id = None
    fresh._state.adding = True
    fresh.version = old.version + 1
    fresh.previous = old
    fresh.retired_at = None
    fresh.save()
    old.retired_at = timezone.now()
    old.save(update_fields=["retired_at"])
    links = MissionQuestion.objects.filter(question=old)
    if fresh.mission_id:
        # A mission's own question: saving the new version linked it to its mission already.
        links.filter(mission_id=fresh.mission_id).delete()
    links.update(question=fresh)
    Question.objects.filter(condition_question=old, retired_at__isnull=True).update(
        condition_question=fresh
    )
    return fresh
