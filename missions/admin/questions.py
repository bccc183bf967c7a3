"""The questions in the admin: the banks' (a programme's, an organisation's) on their own page,
each mission's own inline on the mission, with the bank questions it reuses.

Editing the meaning of a question already answered in a submitted application makes a new
version in its place (``missions.services.question_save``), and staff are told so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from missions import services
from missions.admin.base import RefreshPublicPages
from missions.models import CHOICE_KINDS, Mission, MissionQuestion, Question

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VERSION_WARNING = _(
    "Cette question a déjà des réponses envoyées : une nouvelle version la remplace ; les "
    "candidatures envoyées gardent la question et les réponses d'origine."
)
QUESTION_FIELDS = {field.name for field in Question._meta.concrete_fields}
# The bounds and the condition, grouped apart: most questions need none of them.
DETAIL_FIELDS = (
    ("min_number", "max_number"),
    ("min_date", "max_date"),
    "max_length",
    "condition_question",
    "condition_values",
)
CONTENT_FIELDS = (
    ("kind", "required", "order"),
    ("label_fr", "label_en"),
    ("help_fr", "help_en"),
    "choices",
    ("knockout_values", "ask_before_applying"),
)


def question_save(request: HttpRequest, form: forms.ModelForm[Question]) -> Question:
    """Save a question from an admin form (a new version if it must be), warning staff when it
    is a new version."""
    question = form.instance
    changed = [name for name in form.changed_data if name in QUESTION_FIELDS]
    saved = services.question_save(question=question, changed=changed)
    if saved.pk != question.pk:
        messages.warning(request, VERSION_WARNING)
    return saved


class QuestionOwnerFilter(admin.SimpleListFilter):
    title = _("banque")
    parameter_name = "owner"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            ("programme", _("Programme")),
            ("organisation", _("Organisation")),
            ("mission", _("Propre à une mission")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> QuerySet[Question]:
        if self.value() == "programme":
            return queryset.filter(programme__isnull=False)
        if self.value() == "organisation":
            return queryset.exclude(organisation="")
        if self.value() == "mission":
            return queryset.filter(mission__isnull=False)
        return queryset


class RetiredFilter(admin.SimpleListFilter):
    title = _("version")
    parameter_name = "retired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("no", _("En usage")), ("yes", _("Remplacées"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> QuerySet[Question]:
        if self.value() == "no":
            return queryset.filter(retired_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(retired_at__isnull=False)
        return queryset


class QuestionAdminForm(forms.ModelForm[Question]):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("programme") or data.get("organisation") or data.get("mission")):
            raise forms.ValidationError(
                _("Choisissez à qui est la question : un programme, une organisation ou une "
                  "mission."),
                code="no_owner",
            )  # fmt: skip
        return data


@admin.register(Question)
class QuestionAdmin(RefreshPublicPages[Question]):
    form = QuestionAdminForm
    list_display = ("label_fr", "kind", "owner", "required", "version", "retired_at")
    list_filter = (QuestionOwnerFilter, "programme", "kind", RetiredFilter, "required")
    list_select_related = ("programme",)
    search_fields = ("label_fr", "label_en")
    autocomplete_fields = ("mission", "condition_question")
    readonly_fields = ("version", "previous", "retired_at")
    fieldsets = (
        (_("Banque"), {"fields": ("programme", "organisation", "mission")}),
        (None, {"fields": CONTENT_FIELDS}),
        (_("Bornes et condition"), {"fields": DETAIL_FIELDS}),
        (_("Versions"), {"fields": ("version", "previous", "retired_at")}),
    )

    def has_change_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        # A replaced version stays as its answers knew it.
        if obj is not None and obj.retired_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Question], search_term: str
    ) -> tuple[QuerySet[Question], bool]:
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = autocomplete_choices(request, queryset)
        return queryset, duplicates

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        saved = question_save(request, form)
        if saved.pk != obj.pk:
            # The page goes on with the new version: its history entry, the page it returns to.
            for field in Question._meta.concrete_fields:
                setattr(obj, field.attname, getattr(saved, field.attname))

    def response_change(self, request: HttpRequest, obj: Question) -> HttpResponse:
        response = super().response_change(request, obj)
        edited = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if "_continue" in request.POST and edited != str(obj.pk):
            # A new version replaced the question: staff go on with it, not the one retired.
            response["Location"] = reverse("admin:missions_question_change", args=[obj.pk])
        return response


def autocomplete_choices(request: HttpRequest, queryset: QuerySet[Question]) -> QuerySet[Question]:
    """What the autocomplete boxes offer: a bank's current questions to reuse on a mission, or
    a current yes/no or choice question as a condition."""
    queryset = queryset.filter(retired_at__isnull=True)
    if request.GET.get("model_name") == "missionquestion":
        return queryset.filter(mission__isnull=True)
    if request.GET.get("field_name") == "condition_question":
        return queryset.filter(kind__in=CHOICE_KINDS)
    return queryset


class OwnQuestionInline(admin.StackedInline[Question, Mission]):
    """The mission's own questions, as they are now (earlier versions stay in the bank's page)."""

    model = Question
    fk_name = "mission"
    extra = 0
    classes = ("collapse",)
    verbose_name = _("question propre à la mission")
    verbose_name_plural = _("questions propres à la mission")
    autocomplete_fields = ("condition_question",)
    readonly_fields = ("version",)
    fieldsets = (
        (None, {"fields": CONTENT_FIELDS}),
        (_("Bornes et condition"), {"fields": (*DETAIL_FIELDS, "version")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).filter(retired_at__isnull=True)


class BankQuestionInline(admin.TabularInline[MissionQuestion, Mission]):
    """The questions of a programme's or an organisation's bank this mission asks too."""

    model = MissionQuestion
    extra = 0
    verbose_name = _("question reprise d'une banque")
    verbose_name_plural = _("questions reprises d'une banque")
    autocomplete_fields = ("question",)
    fields = ("question", "order")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MissionQuestion]:
        # A mission's own questions have their link too: they are edited in their own inline.
        queryset = super().get_queryset(request).filter(question__mission__isnull=True)
        return queryset.select_related("question")
