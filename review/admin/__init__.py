"""Staff review in the Django admin: the list, the detail, stage moves, scores and notes."""

import datetime as dt
import json
from functools import lru_cache
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import ResultList, result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from applications import services as application_services
from applications.models import (
    STAFF_STAGES,
    Application,
    ApplicationDocument,
    Note,
    RefusalReason,
    Review,
    Stage,
    StageChange,
)
from core.countries import country_name
from core.paginators import EstimatedCountPaginator
from missions.eligibility import Severity, render_message
from missions.models import Mission
from notifications.emails import render_content
from review import emails, services
from volunteers.models import EducationLevel, User

# Finding codes staff can filter on (the notes they see, never shown to candidates).
STAFF_NOTE_CODES = {
    "experience_below": _("Expérience inférieure à la demande"),
    "language_missing": _("Langue demandée non déclarée"),
    "language_below": _("Niveau de langue inférieur"),
    "professional_activity": _("Activité professionnelle en cours"),
    "past_residence": _("A résidé dans le pays d'accueil"),
    "near_cumulative_cap": _("Proche du plafond de 72 mois"),
}

# Django's own messages, translated by its catalogue: written here as constants, not in
# gettext() calls, so that makemessages leaves them out of ours.
DJANGO_FILTER_HEADING = " By %(filter_title)s "
DJANGO_SELECT_LABEL = "Select this object for an action - {}"


def staff_user(request: HttpRequest) -> User:
    return cast(User, request.user)


class EligibilityFilter(admin.SimpleListFilter):
    title = _("éligibilité")
    parameter_name = "eligibility"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("clean", _("Sans remarque")), ("notes", _("Avec remarques pour l'équipe"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        if self.value() == "clean":
            return queryset.filter(eligibility__findings=[])
        if self.value() == "notes":
            return queryset.exclude(eligibility__findings=[]).exclude(eligibility={})
        return queryset


class StaffNoteFilter(admin.SimpleListFilter):
    title = _("remarques pour l'équipe")
    parameter_name = "note"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(STAFF_NOTE_CODES.items())

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        if self.value() in STAFF_NOTE_CODES:
            # The snapshot is JSON; its text form reads the same on PostgreSQL and SQLite.
            return queryset.filter(eligibility__icontains=f'"code": "{self.value()}"')
        return queryset


class CountryListFilter(admin.SimpleListFilter):
    """Countries present among the candidates, by name."""

    field_path = ""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        # A DISTINCT over every application: cached for a few minutes, it is the same for all.
        codes = cache.get_or_set(f"admin:countries:{self.field_path}", self.codes, 300) or set()
        language = get_language()
        return sorted(((code, country_name(code, language)) for code in codes), key=lambda c: c[1])

    def codes(self) -> set[str]:
        values = (
            Application.objects.submitted()
            .order_by()
            .values_list(self.field_path, flat=True)
            .distinct()
        )
        return {code for value in values if value for code in str(value).split(",")}

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        code = self.value()
        if code and len(code) == 2 and code.isalpha():
            return queryset.filter(**{f"{self.field_path}__regex": rf"(^|,){code.upper()}(,|$)"})
        return queryset


class NationalityFilter(CountryListFilter):
    title = _("nationalité")
    parameter_name = "nationality"
    field_path = "volunteer__nationalities"


class ResidenceFilter(CountryListFilter):
    title = _("résidence")
    parameter_name = "residence"
    field_path = "volunteer__residence"

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        code = self.value()
        if code and len(code) == 2 and code.isalpha():
            return queryset.filter(volunteer__residence=code.upper())
        return queryset


class MissionFilter(admin.SimpleListFilter):
    """The missions with applications and the latest deadlines, as links (the list is cached
    for a few minutes), and a search box for any other: the admin's autocomplete on missions
    (reference, title, city). A thousand missions are not a thousand links on every page."""

    title = _("mission")
    parameter_name = "mission__id__exact"
    template = "admin/applications/application/mission_filter.html"
    links = 15

    def __init__(
        self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any
    ) -> None:
        super().__init__(request, params, model, model_admin)
        self.admin_site = model_admin.admin_site
        # The search box's form keeps the other filters, the search and the ordering.
        self.other_params = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in {self.parameter_name, PAGE_VAR, ERROR_FLAG}
            for value in values
        ]

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        key = "admin:missions-with-applications:latest"
        return list(cache.get_or_set(key, missions_with_applications, 300) or [])

    def value(self) -> str | None:
        return super().value() or None  # the search box cleared: every mission

    def has_output(self) -> bool:
        return True  # the search box, even before any mission has applications

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(mission_id=int(value))
        return queryset

    @property
    def summary(self) -> str:
        """The heading Django's own filter template gives ("Par mission"), from its catalogue."""
        return gettext(DJANGO_FILTER_HEADING) % {"filter_title": self.title}

    @cached_property
    def search(self) -> SafeString:
        """The autocomplete select, showing the chosen mission (one query, only then)."""
        value = self.value()
        field = forms.ModelChoiceField(
            queryset=Mission.objects.only("pk", "reference", "title"),
            required=False,
            widget=AutocompleteSelect(
                Application._meta.get_field("mission"),
                self.admin_site,
                attrs={"data-width": "13em"},
            ),
        )
        return field.widget.render(
            self.parameter_name,
            value if value and value.isdigit() else None,
            attrs={"id": "mission-filter-search", "aria-label": str(self.title)},
        )


def missions_with_applications() -> list[tuple[str, str]]:
    """The missions with submitted applications, latest deadline first (MissionFilter.links of
    them): an index probe per mission, never a scan of every application."""
    has_applications = Exists(Application.objects.submitted().filter(mission=OuterRef("pk")))
    missions = Mission.objects.filter(has_applications).order_by("-deadline_at", "-pk")
    return [
        (str(pk), f"{reference} – {title}")
        for pk, reference, title in missions.values_list("pk", "reference", "title")[
            : MissionFilter.links
        ]
    ]


class MineFilter(admin.SimpleListFilter):
    title = _("confiées")
    parameter_name = "assigned"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("mine", _("À moi")), ("nobody", _("À personne"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        if self.value() == "mine":
            return queryset.filter(assigned_to=staff_user(request))
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    view_on_site = False
    extra = 0
    can_delete = False
    fields = ("kind", "download", "file_type", "size", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("document"))
    def download(self, document: ApplicationDocument) -> str:
        # Through the permission-checked view, never a storage URL.
        return format_html(
            '<a href="{}">{}</a>', document.get_absolute_url(), document.original_name
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ("at", "from_stage", "to_stage", "by", "comment")
    readonly_fields = fields
    verbose_name_plural = _("historique des étapes")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    can_delete = False
    fields = ("reviewer", "average", "scores_display", "comment", "updated_at")
    readonly_fields = fields

    @admin.display(description=_("notes"))
    def scores_display(self, review: Review) -> str:
        criteria = services.mission_criteria(review.application.mission)
        return ", ".join(
            f"{criteria.get(code, code)} : {score}" for code, score in review.scores.items()
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # scores are given on their own page (the "Noter" link)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoteInline(admin.TabularInline):
    model = Note
    extra = 1
    can_delete = False
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a note, once written, stays as written


class MoveStageForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("Nouvelle étape"), choices=[(s.value, s.label) for s in STAFF_STAGES]
    )
    reason = forms.ModelChoiceField(
        label=_("Motif du refus (pour « Non retenue »)"),
        queryset=RefusalReason.objects.filter(active=True),
        required=False,
    )
    comment = forms.CharField(
        label=_("Commentaire (historique, facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_stage") == Stage.REJECTED and not data.get("reason"):
            self.add_error("reason", _("Choisissez le motif du refus."))
        return data


# What the list's columns read, and nothing else: not the profile snapshot or the letter, nor
# the mission's posting texts. A column reading another field would cost a query per row
# (the query-count tests would say so): add the field here with the column.
LIST_FIELDS = (
    "reference", "stage", "eligibility", "submitted_at", "volunteer", "mission", "assigned_to",
    "volunteer__first_name", "volunteer__last_name", "volunteer__nationalities",
    "volunteer__residence", "mission__reference", "mission__title", "assigned_to__email",
)  # fmt: skip


# Stands for a row's primary key in the link written once for all rows.
ROW_PK = "0ROWPK0"


class ApplicationChangeList(ChangeList):
    """The admin's list, reading for each row only the LIST_FIELDS its columns show, and
    writing its rows in one pass (``table``)."""

    def get_results(self, request: HttpRequest) -> None:
        # Only the page's rows: actions, filters and counts keep the full queryset.
        queryset = self.queryset
        self.queryset = queryset.only(*LIST_FIELDS)
        try:
            super().get_results(request)
        finally:
            self.queryset = queryset

    @cached_property
    def table(self) -> dict[str, Any] | None:
        """The context of Django's ``change_list_results.html``, with each row written at once.

        Django's ``result_list`` tag resolves every cell on its own (which kind of column,
        its empty value, its CSS class, its link, ``format_html``): a tenth of a millisecond a
        cell, most of a page of 100 rows and 11 columns. Here each column is resolved once,
        then applied to every row; the HTML is the same (a test compares them). ``None``
        (Django's own tag then) for what this does not cover: editable lists, popups, columns
        that are neither model fields nor ModelAdmin methods."""
        if getattr(self, "formset", None) is not None or self.is_popup:
            return None
        columns = []
        first = True
        for name in self.list_display:
            linked = self.list_display_links is not None and (
                (first and not self.list_display_links) or name in self.list_display_links
            )
            column = list_column(self, name, th=linked and first, linked=linked)
            if column is None:
                return None
            first = first and not linked
            columns.append(column)
        headers = list(result_headers(self))
        rows = [
            ResultList(None, [mark_safe("".join(column(obj) for column in columns))])  # noqa: S308 -- each cell escapes its text
            for obj in self.result_list
        ]
        return {
            "cl": self,
            "result_hidden_fields": [],
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "results": rows,
        }


def list_column(cl: ChangeList, name: Any, *, th: bool, linked: bool) -> Any:
    """One column of the list: a function of the row giving its cell, as Django's
    ``items_for_result`` writes it; ``None`` for a kind of column it does not cover."""
    if not isinstance(name, str):
        return None
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    try:
        field = cl.lookup_opts.get_field(name)
    except FieldDoesNotExist:
        # Not covered here: the model's own attributes (__str__ too) and linked methods.
        if linked or name == "__str__" or not hasattr(model_admin, name):
            return None
        return method_column(name, getattr(model_admin, name), empty)
    if field.name != name or field.auto_created or field.many_to_many or not field.concrete:
        return None  # "mission_id", the pk, many-to-many, reverse or generic relations
    text = field_text(field, name, empty, linked=linked)
    nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
    css = f' class="field-{name}{" nowrap" if nowrap else ""}"'
    tag = "th" if th else "td"
    if not linked:
        return lambda obj: f"<{tag}{css}>{text(obj)}</{tag}>"
    # The link to each row's page, with the list's filters kept: written once, then the pk
    # (an integer, which neither quote() nor reverse() would change).
    opts = cl.opts
    if not isinstance(opts.pk, models.IntegerField):
        return None
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(ROW_PK,),
            current_app=model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": opts}, url)
    href = conditional_escape(url)
    return lambda obj: (
        f'<{tag}{css}><a href="{href.replace(ROW_PK, str(int(obj.pk)), 1)}">{text(obj)}</a></{tag}>'
    )


def field_text(field: Any, name: str, empty: str, *, linked: bool) -> Any:
    """A model field's value as the list shows it (``display_for_field``), escaped."""
    if isinstance(field.remote_field, models.ManyToOneRel):

        def related(obj: Any) -> str:
            try:
                value = getattr(obj, name)
            except ObjectDoesNotExist:
                return empty
            return empty if value is None else conditional_escape(value)

        return related
    if isinstance(field, models.DateTimeField) and not field.choices:
        # Dates written in the user's language and time zone, once for each distinct instant.
        language, zone = get_language(), timezone.get_current_timezone_name()

        def when(obj: Any) -> str:
            value = getattr(obj, name)
            return empty if value is None else localized_datetime(value, language, zone)

        return when
    labels: dict[Any, str] = {}
    if getattr(field, "flatchoices", None):
        # The choices' labels, translated and escaped once for the whole page.
        try:
            labels = {key: conditional_escape(label) for key, label in field.flatchoices}
        except TypeError:
            labels = {}

    def text(obj: Any) -> str:
        value = getattr(obj, name)
        if isinstance(value, str) and not value.strip():
            value = ""
        if labels:
            try:
                return labels.get(value, empty)
            except TypeError:
                pass
        return conditional_escape(display_for_field(value, field, empty, avoid_link=linked))

    return text


def method_column(name: str, method: Any, default_empty: str) -> Any:
    """A column given by a ModelAdmin method (``display_for_value`` of what it returns)."""
    empty = conditional_escape(getattr(method, "empty_value_display", default_empty))
    boolean = getattr(method, "boolean", False)
    css = "action-checkbox" if name == "action_checkbox" else f"field-{name}"

    def cell(obj: Any) -> str:
        try:
            value = method(obj)
        except ObjectDoesNotExist:
            return f'<td class="{css}">{default_empty}</td>'
        if type(value) is str and not boolean:  # the common case, in short
            return f'<td class="{css}">{escape(value) if value.strip() else empty}</td>'
        if isinstance(value, str) and not value.strip():
            value = ""
        nowrap = " nowrap" if isinstance(value, (dt.date, dt.time)) else ""
        text = conditional_escape(display_for_value(value, empty, boolean))
        return f'<td class="{css}{nowrap}">{text}</td>'

    return cell


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
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
    actions: tuple[Any, ...] = ("move_stage", "assign_to_me")
    inlines = (DocumentInline, StageChangeInline, ReviewInline, NoteInline)
    fieldsets = (
        (None, {"fields": ("reference", "mission", "stage", "submitted_at", "assigned_to",
                           "refusal_reason", "score_link")}),
        (_("Profil à l'envoi"), {"fields": ("profile_table",)}),
        (_("Éligibilité à l'envoi"), {"fields": ("eligibility_table",)}),
        (_("Candidature"), {"fields": ("motivation", "withdrawn_at")}),
    )  # fmt: skip
    readonly_fields = (
        "reference", "mission", "stage", "submitted_at", "refusal_reason", "score_link",
        "profile_table", "eligibility_table", "motivation", "withdrawn_at",
    )  # fmt: skip
    autocomplete_fields = ("assigned_to",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).submitted().with_average_score()

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ApplicationChangeList

    @property
    def media(self) -> forms.Media:
        # The mission filter's search box is the admin's autocomplete (select2).
        search = AutocompleteSelect(Application._meta.get_field("mission"), self.admin_site)
        return super().media + search.media

    def action_checkbox(self, obj: Application) -> SafeString:
        """Django's checkbox, written directly rather than by a widget's template each row."""
        label = gettext(DJANGO_SELECT_LABEL).format(escape(str(obj)))
        return mark_safe(  # noqa: S308 -- the pk is an integer, the object's name is escaped
            f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="{int(obj.pk)}" '
            f'class="action-select" aria-label="{label}">'
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.has_perm("applications.assign_application"):
            return self.readonly_fields
        return (*self.readonly_fields, "assigned_to")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates apply; staff do not invent applications

    @admin.display(description=_("candidat·e"), ordering="volunteer__last_name")
    def candidate(self, application: Application) -> str:
        return f"{application.volunteer.last_name.upper()} {application.volunteer.first_name}"

    @admin.display(description=_("éligibilité"))
    def verdict(self, application: Application) -> str:
        findings = application.eligibility.get("findings", [])
        language = get_language()
        notes = [
            note_text(f["code"], json.dumps(f["params"], sort_keys=True), language)
            for f in findings
            if f["severity"] == Severity.NOTE
        ]
        return " ; ".join(notes) if notes else "✓"

    @admin.display(description=_("nationalités"))
    def nationalities(self, application: Application) -> str:
        language = get_language()
        return ", ".join(
            country_name(c.code, language) for c in application.volunteer.nationalities
        )

    @admin.display(description=_("résidence"))
    def residence(self, application: Application) -> str:
        return country_name(application.volunteer.residence.code, get_language())

    @admin.display(description=_("note moyenne"), ordering="avg_score")
    def average_score(self, application: Application) -> str:
        value = getattr(application, "avg_score", None)
        return f"{value:.1f}" if value is not None else "—"

    @admin.display(description=_("évaluer"))
    def score_link(self, application: Application) -> str:
        url = reverse("admin:applications_application_score", args=[application.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Noter cette candidature"))

    @admin.display(description=_("profil"))
    def profile_table(self, application: Application) -> SafeString:
        profile = application.profile
        languages = ", ".join(
            f"{code} {level}" for code, level in profile.get("languages", {}).items()
        )
        rows = [
            (_("Nom"), f"{profile.get('last_name', '').upper()} {profile.get('first_name', '')}"),
            (_("E-mail"), profile.get("email", "")),
            (_("Téléphone"), profile.get("phone", "")),
            (_("Date de naissance"), profile.get("birth_date") or "—"),
            (_("Nationalités"), country_names(profile.get("nationalities", []))),
            (_("Résidence"), residence(profile)),
            (_("Mois de VSI déjà effectués"), profile.get("vsi_months", "—")),
            (_("Activité professionnelle en cours"), yes_no(profile.get("professional_activity"))),
            (_("Études"), education(profile)),
            (_("Années d'expérience"), profile.get("experience_years", "—")),
            (_("Langues"), languages or "—"),
        ]  # fmt: skip
        body = format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td></tr>", rows)
        return format_html("<table>{}</table>", body)

    @admin.display(description=_("éligibilité"))
    def eligibility_table(self, application: Application) -> SafeString:
        snapshot = application.eligibility
        findings = snapshot.get("findings", [])
        severity = {"refusal": _("refus"), "note": _("remarque")}
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (severity.get(f["severity"], f["severity"]), render_message(f["code"], f["params"]),
                 gettext(f["legal_basis"]))
                for f in findings
            ),
        )  # fmt: skip
        header = format_html(
            "<p>{} · {} {} · {}</p>",
            _("Éligible") if snapshot.get("eligible") else _("Non éligible"),
            _("règles"),
            snapshot.get("rules_version", "—"),
            snapshot.get("evaluated_at", "—"),
        )
        if not findings:
            return format_html("{}<p>{}</p>", header, _("Aucune remarque."))
        head = format_html(
            "<tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr>",
            _("type"), _("constat"), _("fondement"),
        )  # fmt: skip
        return format_html("{}<table>{}{}</table>", header, head, rows)

    def delete_model(self, request: HttpRequest, obj: Application) -> None:
        application_services.application_delete(application=obj)  # its files go too

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        for application in queryset:
            application_services.application_delete(application=application)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        notes = formset.save(commit=False)
        for note in notes:
            if isinstance(note, Note):
                note.author = staff_user(request)
            note.save()
        formset.save_m2m()

    # --- actions -------------------------------------------------------------------------

    def has_move_stage_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("applications.move_stage")

    def has_assign_application_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("applications.assign_application")

    def has_export_applications_permission(self, request: HttpRequest) -> bool:
        """For the export actions that coordination/admin.py adds."""
        return request.user.has_perm("applications.export_applications")

    @admin.action(description=_("Changer l'étape…"), permissions=["move_stage"])
    def move_stage(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> HttpResponse | None:
        """A bulk stage change, after a preview of the e-mail and a confirmation page."""
        asked = {"confirm", "preview"} & request.POST.keys()
        form = MoveStageForm(request.POST if asked else None)
        selected = list(queryset.select_related("volunteer__user", "mission").order_by("pk"))
        if "confirm" in request.POST and form.is_valid():
            try:
                result = services.applications_move_stage(
                    application_ids=[a.pk for a in selected],
                    to_stage=form.cleaned_data["to_stage"],
                    acting_user=staff_user(request),
                    comment=form.cleaned_data["comment"],
                    reason=form.cleaned_data["reason"],
                )
            except application_services.ApplicationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            for _reference, problem in result.refused:
                self.message_user(request, problem, messages.WARNING)
            count = len(result.moved)
            self.message_user(
                request,
                ngettext(
                    "%(count)d candidature déplacée.", "%(count)d candidatures déplacées.", count
                )
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        to_stage = form.data.get("to_stage") if form.is_bound else request.POST.get("to_stage")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Changer l'étape des candidatures"),
            "opts": self.model._meta,
            "form": form,
            "applications": selected,
            "previews": stage_previews(selected, request.POST.get("to_stage") or to_stage),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/applications/move_stage.html", context)

    @admin.action(description=_("Me les confier"), permissions=["assign_application"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        count = services.applications_assign(
            application_ids=list(queryset.values_list("pk", flat=True)),
            reviewer=staff_user(request),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d candidature vous est confiée.",
                "%(count)d candidatures vous sont confiées.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    # --- scoring page --------------------------------------------------------------------

    def get_urls(self) -> list[Any]:
        score = self.admin_site.admin_view(self.score_view)
        return [
            path("<int:object_id>/score/", score, name="applications_application_score"),
            *super().get_urls(),
        ]

    def score_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """One reviewer's scores for one application (one review each, editable)."""
        if not request.user.has_perm("applications.add_review"):
            raise PermissionDenied
        application = get_object_or_404(
            self.get_queryset(request).select_related("mission"), pk=object_id
        )
        criteria = services.mission_criteria(application.mission)
        mine = Review.objects.filter(application=application, reviewer=staff_user(request)).first()
        form = review_form(criteria, request.POST or None, initial=review_initial(mine))
        if request.method == "POST" and form.is_valid():
            services.review_save(
                application=application,
                reviewer=staff_user(request),
                scores={code: int(form.cleaned_data[f"score_{code}"]) for code in criteria},
                comment=form.cleaned_data["comment"],
            )
            self.message_user(request, _("Évaluation enregistrée."), messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:applications_application_change", args=[object_id])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Noter la candidature %(reference)s") % {"reference": application.reference},
            "opts": self.model._meta,
            "original": application,
            "form": form,
        }
        return render(request, "admin/applications/score.html", context)


@lru_cache(maxsize=4096)
def localized_datetime(value: dt.datetime, language: str | None, zone: str) -> str:
    """An instant as the admin shows it (``display_for_field``) in the active language and time
    zone, which are part of the key: formatting a date costs more than the rest of its row."""
    return conditional_escape(display_for_value(value, ""))


@lru_cache(maxsize=4096)
def note_text(code: str, params: str, language: str | None) -> str:
    """A staff note's sentence in a language, rendered once per distinct note."""
    return render_message(code, json.loads(params))


def country_names(codes: list[str]) -> str:
    language = get_language()
    return ", ".join(country_name(code, language) for code in codes if code)


def residence(profile: dict[str, Any]) -> str:
    return f"{country_names([profile.get('residence', '')])}, {profile.get('city', '')}"


def yes_no(value: Any) -> Any:
    return _("oui") if value else _("non")


def education(profile: dict[str, Any]) -> str:
    level = profile.get("education_level")
    label = EducationLevel(level).label if level in EducationLevel.values else "—"
    return f"{label} – {profile.get('education_field', '')}"


def stage_previews(
    applications: list[Application], to_stage: str | None
) -> list[tuple[str, Any, str]]:
    """The e-mail one candidate per language would receive, for staff to read before moving."""
    if to_stage not in {s.value for s in STAFF_STAGES} or to_stage == Stage.IN_REVIEW:
        return []
    previews, seen = [], set()
    for application in applications:
        language = application.volunteer.preferred_language
        if language in seen:
            continue
        seen.add(language)
        draft = emails.stage_change_preview(application, to_stage)
        content = render_content(draft.template, draft.language, draft.context)
        previews.append((language, content.subject, content.text))
    return previews


def review_form(criteria: dict[str, str], data: Any, initial: dict[str, Any]) -> forms.Form:
    choices = [(str(n), str(n)) for n in range(1, 6)]
    fields: dict[str, forms.Field] = {
        f"score_{code}": forms.TypedChoiceField(
            label=label, choices=choices, coerce=int, widget=forms.RadioSelect
        )
        for code, label in criteria.items()
    }
    fields["comment"] = forms.CharField(
        label=_("Commentaire"), required=False, max_length=4000, widget=forms.Textarea
    )
    form_class = type("ReviewForm", (forms.Form,), fields)
    return cast(forms.Form, form_class(data, initial=initial))


def review_initial(review: Review | None) -> dict[str, Any]:
    if review is None:
        return {}
    return {
        **{f"score_{code}": str(score) for code, score in review.scores.items()},
        "comment": review.comment,
    }


@admin.register(RefusalReason)
class RefusalReasonAdmin(admin.ModelAdmin):
    list_display = ("label", "active", "order")
    list_editable = ("active", "order")
    search_fields = ("label",)
