"""The missions' admin: missions, programmes, partners, review requests; the questions (a
mission's own inline on it, the banks' on their page) are in ``questions``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin

from missions import quality, services
from missions.admin.base import RefreshPublicPages
from missions.admin.filters import DataQualityFilter, EnglishTextFilter
from missions.admin.questions import (
    BankQuestionInline,
    OwnQuestionInline,
    QuestionAdmin,
    question_save,
)
from missions.eligibility import ProgrammeTerms, age_bracket_problem, framework
from missions.eligibility.findings import Basis
from missions.models import (
    Mission,
    Partner,
    Programme,
    Question,
    ReviewRequest,
    TrainingSession,
)
from missions.webhooks import missions_emit_status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["MissionAdmin", "QuestionAdmin", "RefreshPublicPages"]


@admin.register(Programme)
class ProgrammeAdmin(RefreshPublicPages[Programme]):
    list_display = ("name", "slug", "min_age", "max_age")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}  # noqa: RUF012 -- Django's declarative admin


@admin.register(Partner)
class PartnerAdmin(RefreshPublicPages[Partner]):
    list_display = ("name", "slug", "website")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}  # noqa: RUF012 -- Django's declarative admin
    # A website typed without a scheme is taken as https:// (Django 6's default; 5.2 warns).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012


class TrainingSessionInline(admin.StackedInline[TrainingSession, Mission]):
    """The mission's pre-departure training sessions; enrolment and attendance are the
    review admin's (``review/admin/training.py``), linked from each session's roster."""

    model = TrainingSession
    extra = 0
    fields = (("title", "capacity"), ("starts_on", "ends_on"), "place", "link", "programme",
              "roster")  # fmt: skip
    readonly_fields = ("roster",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012

    @admin.display(description=_("inscrit·es"))
    def roster(self, session: TrainingSession) -> StrOrPromise:
        if session.pk is None:
            return "—"
        try:
            # Drawn by the review admin (the enrolments are its models), when it is installed.
            url = reverse("admin:review_trainingenrolment_roster", args=[session.pk])
            listing = reverse("admin:review_trainingenrolment_changelist")
        except NoReverseMatch:
            return "—"
        return format_html(
            '<a href="{}?session__id__exact={}">{}</a> · <a href="{}">{}</a>',
            listing, session.pk, _("Inscrit·es et présence"), url, _("Liste (CSV)"),
        )  # fmt: skip


class MissionAdminForm(forms.ModelForm[Mission]):
    def clean(self) -> dict[str, Any]:
        """The programmes' ages against the mission's (the model cannot see a new choice of
        programmes): a bracket nobody fits is not published."""
        data = super().clean() or {}
        programmes = data.get("programmes")
        if data.get("status") == Mission.Status.PUBLISHED and programmes and "min_age" in data:
            terms = [ProgrammeTerms.from_programme(p) for p in programmes]
            problem = age_bracket_problem(data.get("volunteer_status", ""), data["min_age"], terms)
            if problem and "min_age" not in self.errors:
                self.add_error("programmes", problem)
        return data


@admin.register(Mission)
class MissionAdmin(RefreshPublicPages[Mission], TranslationAdmin[Mission]):
    """A mission's every field; each text in French and English side by side (``_fr``,
    ``_en``: missions/languages.py), the English one optional."""

    form = MissionAdminForm
    list_display = (
        "reference",
        "title",
        "status",
        "host_country",
        "city",
        "deadline_date",
        "start_date",
        "quality_summary",
    )
    list_filter = (
        "status",
        DataQualityFilter,
        EnglishTextFilter,
        ("host_country", CountryFilter),
        "programmes",
        "volunteer_status",
    )
    search_fields = ("reference", "title_fr", "title_en", "city_fr", "city_en")
    date_hierarchy = "deadline_date"
    filter_horizontal = ("programmes", "partners")
    autocomplete_fields = ("coordinators",)
    readonly_fields = (
        "deadline_at",
        "quality_findings",
        "framework_rules",
        "questions_preview",
        "created_at",
        "updated_at",
    )
    actions = ("publish", "close", "archive")
    inlines = (OwnQuestionInline, BankQuestionInline, TrainingSessionInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "reference",
                    ("title_fr", "title_en"),
                    "status",
                    "organisation",
                    "programmes",
                    "partners",
                    "coordinators",
                )
            },
        ),
        (_("Qualité des données"), {"fields": ("quality_findings",)}),
        (
            _("Lieu"),
            {
                "fields": (
                    ("region_fr", "region_en"),
                    "host_country",
                    ("city_fr", "city_en"),
                    "time_zone",
                )
            },
        ),
        (
            _("Statut et dates"),
            {
                "fields": (
                    "volunteer_status",
                    "direction",
                    ("legal_basis_fr", "legal_basis_en"),
                    "duration_months",
                    ("start_date", "start_month_only"),
                    "contract_date",
                    ("training_start", "training_end"),
                    "published_on",
                    ("deadline_date", "deadline_at"),
                )
            },
        ),
        (
            _("Candidature"),
            {
                "fields": (
                    "contact_email",
                    ("application_subject_fr", "application_subject_en"),
                    "questions_preview",
                )
            },
        ),
        (
            _("Annonce"),
            {
                "fields": (
                    ("important_notice_fr", "important_notice_en"),
                    ("context_fr", "context_en"),
                    ("summary_fr", "summary_en"),
                    ("expected_results_fr", "expected_results_en"),
                    ("tasks_fr", "tasks_en"),
                    ("profile_education_fr", "profile_education_en"),
                    ("profile_experience_fr", "profile_experience_en"),
                    ("skills_fr", "skills_en"),
                    "languages_required",
                    ("languages_note_fr", "languages_note_en"),
                    ("profile_other_fr", "profile_other_en"),
                    ("conditions_fr", "conditions_en"),
                    ("selection_fr", "selection_en"),
                )
            },
        ),
        (
            _("Éligibilité"),
            {
                "fields": (
                    "framework_rules",
                    "excluded_nationalities",
                    "excluded_residences",
                    "min_age",
                    "min_experience_years",
                )
            },
        ),
        (_("Historique"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mission]:
        return quality.with_quality(super().get_queryset(request))

    @admin.display(description=_("qualité"))
    def quality_summary(self, mission: Mission) -> str:
        count = sum(bool(getattr(mission, f"dq_{rule.code}", False)) for rule in quality.RULES)
        if not count:
            return "✓"
        return ngettext("%(count)d remarque", "%(count)d remarques", count) % {"count": count}

    @admin.display(description=_("remarques sur les données"))
    def quality_findings(self, mission: Mission) -> StrOrPromise:
        found, noted = quality.findings(mission), quality.notes(mission)
        if not (found or noted):
            return _("Aucune remarque.")
        rows = [("errornote", rule.message) for rule in found]
        rows += [("help", rule.message) for rule in noted]
        return format_html_join("", "<p class='{}'>{}</p>", rows)

    @admin.display(description=_("règles du dispositif"))
    def framework_rules(self, mission: Mission) -> SafeString:
        """What the framework itself requires, each with its text; "à confirmer" when no text
        consulted could confirm it (a setting, ``ELIGIBILITY_FRAMEWORK_SETTINGS``)."""
        rules = framework(mission.volunteer_status or Mission.VolunteerStatus.VSI)
        rows: list[tuple[StrOrPromise, str, Basis]] = [
            (_("âge minimum"), str(bound.value), bound.basis) for bound in rules.min_ages
        ]
        if rules.max_age:
            rows.append((_("âge maximum"), str(rules.max_age.value), rules.max_age.basis))
        shortest, longest = rules.months
        rows.append((_("durée (mois)"), f"{shortest}–{longest}", rules.months_basis))
        if rules.nationalities:
            eu_eea = str(_("UE et EEE"))
            rows.append((_("nationalités admises"), eu_eea, rules.nationalities_basis))
        context = {"text": rules.text, "rows": rows}
        return render_to_string("admin/missions/mission/framework_rules.html", context)

    @admin.display(description=_("questions"))
    def questions_preview(self, mission: Mission) -> StrOrPromise:
        if mission.pk is None:
            return _("Enregistrez la mission pour voir l'aperçu de ses questions.")
        try:
            # Drawn by the review admin (the form is the applications'), when it is installed.
            url = reverse("admin:missions_mission_questions_preview", args=[mission.pk])
        except NoReverseMatch:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', url, _("Aperçu du formulaire en français et en anglais")
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The findings and notes once the inlines are saved too (the training sessions count)."""
        super().save_related(request, form, formsets, change)
        for rule in quality.findings(form.instance):
            self.message_user(request, rule.message, messages.WARNING)
        for rule in quality.notes(form.instance):
            self.message_user(request, rule.message, messages.INFO)

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        """The mission's own questions are saved one by one: an answered question whose
        meaning changes becomes a new version (``questions.question_save``)."""
        if formset.model is not Question:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for question in formset.deleted_objects:
            question.delete()
        edited = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
        for inline_form in formset.forms:
            if any(inline_form.instance is obj for obj in edited):
                question_save(request, inline_form)

    def save_model(self, request: HttpRequest, obj: Mission, form: Any, change: bool) -> None:
        """A status chosen in the form is a publication or closure too: webhooks hear of it
        (the admin saves in one transaction)."""
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:
            missions_emit_status([obj])

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Mission], status: str) -> None:
        count, refused = services.missions_set_status(
            missions=queryset, status=status, acting_user=cast(AbstractBaseUser, request.user)
        )
        for reference, problems in refused.items():
            for problem in problems:
                self.message_user(request, f"{reference} : {problem}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(count)d mission mise à jour.", "%(count)d missions mises à jour.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publier les missions sélectionnées"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Mission]) -> None:
        self._set_status(request, queryset, Mission.Status.PUBLISHED)

    @admin.action(description=_("Clore les missions sélectionnées"))
    def close(self, request: HttpRequest, queryset: QuerySet[Mission]) -> None:
        self._set_status(request, queryset, Mission.Status.CLOSED)

    @admin.action(description=_("Archiver les missions sélectionnées"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Mission]) -> None:
        self._set_status(request, queryset, Mission.Status.ARCHIVED)


@admin.register(ReviewRequest)
class ReviewRequestAdmin(admin.ModelAdmin[ReviewRequest]):
    list_display = ("mission", "email", "created_at", "handled_at")
    list_filter = (("handled_at", admin.EmptyFieldListFilter), "mission")
    list_select_related = ("mission",)
    search_fields = ("email", "mission__reference", "message")
    readonly_fields = ("mission", "user", "email", "message", "verdict", "created_at")
    fields = (*readonly_fields, "handled_at", "handled_by")
