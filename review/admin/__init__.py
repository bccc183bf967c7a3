"""Staff review in the Django admin: the list, the detail, stage moves, scores and notes.

The registrations are here; each concern has its module: ``filters`` (the list's filters),
``columns`` (the list's rows and computed columns), ``detail`` (the page's profile and
eligibility tables), ``answers`` (the answers to the mission's questions: on the page, as
filters, in the search), ``inlines``, ``actions`` (stage moves, assignment), ``scoring`` and
``preview`` (a mission's questions as candidates see them, linked from the mission's page).
"""

from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import URLPattern, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from applications import services as application_services
from applications.models import Application, ApplicationQuerySet, Note, RefusalReason
from core import admin_rows
from core.paginators import EstimatedCountPaginator
from review.admin import (
    answers,
    columns,
    detail,
    feeds,
    interviews,
    outcomes,
    preview,
    scoring,
    search,
    training,
)
from review.admin.actions import assign_to_me, move_stage, stage_previews
from review.admin.columns import LIST_FIELDS, ApplicationChangeList
from review.admin.filters import (
    STAFF_NOTE_CODES,
    EligibilityFilter,
    MineFilter,
    MissionFilter,
    NationalityFilter,
    ResidenceFilter,
    StaffNoteFilter,
)
from review.admin.inlines import DocumentInline, NoteInline, ReviewInline, StageChangeInline
from review.admin.staff import staff_user
from review.forms import MoveStageForm, ReviewForm

__all__ = [
    "LIST_FIELDS",
    "STAFF_NOTE_CODES",
    "ApplicationAdmin",
    "ApplicationChangeList",
    "DocumentInline",
    "EligibilityFilter",
    "MineFilter",
    "MissionFilter",
    "MoveStageForm",
    "NationalityFilter",
    "NoteInline",
    "RefusalReasonAdmin",
    "ResidenceFilter",
    "ReviewForm",
    "ReviewInline",
    "StaffNoteFilter",
    "StageChangeInline",
    "assign_to_me",
    "feeds",  # the calendar feeds' admin, registered on import
    "interviews",
    "move_stage",
    "outcomes",  # the interview bookings' admin and outcome page, registered on import
    "stage_previews",
]

if TYPE_CHECKING:  # django-simple-history has no types: checked as the ModelAdmin it extends
    HistoryAdmin = admin.ModelAdmin[Application]
else:
    HistoryAdmin = SimpleHistoryAdmin


@admin.register(Application)
class ApplicationAdmin(HistoryAdmin):
    list_display = (
        "reference",
        "candidate",
        "mission",
        "stage",
        "verdict",
        "nationalities",
        "residence",
        "submitted_at",
        "average_score",
        "assigned_to",
    )
    list_display_links = ("reference",)
    list_filter = (
        MissionFilter,
        "stage",
        EligibilityFilter,
        StaffNoteFilter,
        NationalityFilter,
        ResidenceFilter,
        ("submitted_at", admin.DateFieldListFilter),
        MineFilter,
        training.TrainingFilter,
        "source",
    )
    list_select_related = ("volunteer", "mission", "assigned_to")
    search_fields = (
        "reference",
        "volunteer__last_name",
        "volunteer__first_name",
        "volunteer__user__email",
    )
    # An exact count of every application costs more than it tells on a large table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 100
    # coordination/admin.py adds the export actions.
    actions: tuple[Any, ...] = (
        move_stage,
        assign_to_me,
        training.enrol_training,
        training.mark_departed,
    )
    inlines = (DocumentInline, StageChangeInline, ReviewInline, NoteInline)
    fieldsets = (
        (None, {"fields": ("reference", "mission", "stage", "submitted_at", "assigned_to",
                           "refusal_reason", "score_link", "source_line")}),
        (_("Profil à l'envoi"), {"fields": ("profile_table",)}),
        (_("Éligibilité à l'envoi"), {"fields": ("eligibility_table",)}),
        (_("Candidature"), {"fields": ("motivation", "withdrawn_at", "departed_at")}),
        (_("Réponses aux questions de la mission"), {"fields": ("answers_table",)}),
    )  # fmt: skip
    readonly_fields = (
        "reference", "mission", "stage", "submitted_at", "refusal_reason", "score_link",
        "profile_table", "eligibility_table", "motivation", "withdrawn_at", "departed_at",
        "answers_table", "source_line",
    )  # fmt: skip
    autocomplete_fields = ("assigned_to",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        queryset = cast(ApplicationQuerySet, super().get_queryset(request))
        return queryset.submitted().with_average_score()

    # Other apps' additions to the application page: inlines shown only when the application
    # has rows for them (their model's ``application``), and values read with the application
    # (name -> expression), so that an empty history or a missing line costs no query.
    inlines_with_rows_only: tuple[Any, ...] = ()
    object_annotations: ClassVar[dict[str, Any]] = {}

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Application | None:
        """The application with its mission in the same query (the page's tables, the
        reviews' criteria and the invitation read it), and the annotations above."""
        meta = Application._meta
        field: Any = meta.pk if from_field is None else meta.get_field(from_field)
        queryset = self.get_queryset(request).select_related("mission")
        queryset = queryset.annotate(**self.object_annotations, **self.inline_rows())
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Application.DoesNotExist, ValidationError, ValueError):
            return None

    def inline_rows(self) -> dict[str, Exists]:
        return {
            f"has_{inline.model._meta.model_name}": Exists(
                inline.model.objects.filter(application=OuterRef("pk"))
            )
            for inline in self.inlines_with_rows_only
        }

    def get_inlines(self, request: HttpRequest, obj: Application | None) -> Any:
        """Every inline, but those shown only with rows when the application has none."""
        return [
            inline
            for inline in self.inlines
            if inline not in self.inlines_with_rows_only
            or getattr(obj, f"has_{inline.model._meta.model_name}", True)
        ]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ApplicationChangeList

    def get_urls(self) -> list[URLPattern]:
        return [*scoring.score_urls(self), *preview.preview_urls(self), *super().get_urls()]

    def get_list_filter(self, request: HttpRequest) -> Any:
        """A list filtered to one mission has a filter per yes/no or choice question of it."""
        return (*self.list_filter, *mission_answer_filters(request))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Application], search_term: str
    ) -> tuple[QuerySet[Application], bool]:
        """The candidates' names and references, and the text answers (each application
        once), as Django's search finds them but through indexes (``search``)."""
        return search.search(queryset, search_term), False

    @property
    def media(self) -> forms.Media:
        # The mission filter's search box is the admin's autocomplete (select2).
        search = AutocompleteSelect(Application._meta.get_field("mission"), self.admin_site)
        return super().media + search.media

    def action_checkbox(self, obj: Application) -> SafeString:
        return admin_rows.action_checkbox(obj)

    @admin.display(description=_("provenance"))
    def source_line(self, application: Application) -> str:
        """Where the candidate came from, with the other site's name; "—" before sources."""
        if not application.source:
            return "—"
        label = str(application.get_source_display())
        return f"{label} ({application.source_detail})" if application.source_detail else label

    def get_readonly_fields(self, request: HttpRequest, obj: Application | None = None) -> Any:
        if request.user.has_perm("applications.assign_application"):
            return self.readonly_fields
        return (*self.readonly_fields, "assigned_to")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates apply; staff do not invent applications

    def has_move_stage_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("applications.move_stage")

    def has_assign_application_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("applications.assign_application")

    def has_enrol_training_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("review.add_trainingenrolment")

    def has_mark_departed_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("review.change_trainingenrolment")

    def has_export_applications_permission(self, request: HttpRequest) -> bool:
        """For the export actions that coordination/admin.py adds."""
        return request.user.has_perm("applications.export_applications")

    # --- the list's columns --------------------------------------------------------------

    @admin.display(description=_("candidat·e"), ordering="volunteer__last_name")
    def candidate(self, application: Application) -> str:
        return columns.candidate(application)

    @admin.display(description=_("éligibilité"))
    def verdict(self, application: Application) -> str:
        return columns.verdict(application)

    @admin.display(description=_("nationalités"))
    def nationalities(self, application: Application) -> str:
        return columns.nationalities(application)

    @admin.display(description=_("résidence"))
    def residence(self, application: Application) -> str:
        return columns.residence(application)

    @admin.display(description=_("note moyenne"), ordering="avg_score")
    def average_score(self, application: Application) -> str:
        return columns.average_score(application)

    # --- the application's page ----------------------------------------------------------

    @admin.display(description=_("évaluer"))
    def score_link(self, application: Application) -> SafeString:
        url = reverse("admin:applications_application_score", args=[application.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Noter cette candidature"))

    @admin.display(description=_("profil"))
    def profile_table(self, application: Application) -> SafeString:
        return detail.profile_table(application)

    @admin.display(description=_("éligibilité"))
    def eligibility_table(self, application: Application) -> SafeString:
        return detail.eligibility_table(application)

    @admin.display(description=_("réponses"))
    def answers_table(self, application: Application) -> SafeString:
        return answers.answers_table(application)

    def delete_model(self, request: HttpRequest, obj: Application) -> None:
        application_services.application_delete(application=obj)  # its files go too

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        for application in queryset:
            application_services.application_delete(application=application)

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        for obj in formset.save(commit=False):
            if isinstance(obj, Note):
                obj.author = staff_user(request)
            obj.save()
        formset.save_m2m()


def mission_answer_filters(request: HttpRequest) -> list[type[answers.AnswerFilter]]:
    """The answer filters of the mission the list is filtered to, read once per request (the
    admin asks for the list's filters more than once)."""
    cached: list[type[answers.AnswerFilter]] | None = getattr(request, "_answer_filters", None)
    if cached is None:
        mission = request.GET.get(MissionFilter.parameter_name, "")
        cached = answers.answer_filters(int(mission)) if mission.isdigit() else []
        setattr(request, "_answer_filters", cached)  # noqa: B010 -- HttpRequest has no such slot in its stubs
    return cached


@admin.register(RefusalReason)
class RefusalReasonAdmin(admin.ModelAdmin[RefusalReason]):
    list_display = ("label", "active", "order")
    list_editable = ("active", "order")
    search_fields = ("label",)
