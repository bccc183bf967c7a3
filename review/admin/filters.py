"""The applications list's filters: eligibility, staff notes, countries, mission, assignee."""

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from core.countries import country_name
from missions.models import Mission
from review.admin.staff import staff_user
from volunteers.models import Volunteer

# Finding codes staff can filter on (the notes they see, never shown to candidates).
STAFF_NOTE_CODES = {
    "experience_below": _("Expérience inférieure à la demande"),
    "language_missing": _("Langue demandée non déclarée"),
    "language_below": _("Niveau de langue inférieur"),
    "professional_activity": _("Activité professionnelle en cours"),
    "past_residence": _("A résidé dans le pays d'accueil"),
    "near_cumulative_cap": _("Proche du plafond de 72 mois"),
    "vsi_months_unknown": _("Mois de VSI passés inconnus"),
    "residence_unclear": _("Vit dans le pays d'accueil : résidence régulière à vérifier"),
    "foreign_resident_france": _("Titre de séjour en France à vérifier"),
    "age_extended_only": _("Âge au-delà de la limite générale"),
    "reciprocity_visa": _("Visa de long séjour à prévoir"),
    "reciprocity_return": _("Engagement de retour à recueillir"),
}

# The filters on a mission's answers are named after their question: answer_<id>.
ANSWER_PARAMETER = "answer_"

# Django's own message, translated by its catalogue: written here as a constant, not in a
# gettext() call, so that makemessages leaves it out of ours.
DJANGO_FILTER_HEADING = " By %(filter_title)s "


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
        # Cached for a few minutes, the same for all, and read for both filters at once.
        countries = cache.get_or_set(COUNTRIES_KEY, candidate_countries, 300) or {}
        codes = countries.get(self.field_path, set())
        language = get_language()
        return sorted(((code, country_name(code, language)) for code in codes), key=lambda c: c[1])

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        code = self.value()
        if code and len(code) == 2 and code.isalpha():
            return queryset.filter(**{f"{self.field_path}__regex": rf"(^|,){code.upper()}(,|$)"})
        return queryset


# The candidates' countries, for the nationality and residence filters.
COUNTRIES_KEY = "admin:candidate-countries"


def candidate_countries() -> dict[str, set[str]]:
    """The candidates' nationalities and residences (``CountryListFilter.field_path`` to codes)
    in one pass over their profiles, a few hundred thousand rows, rather than two DISTINCTs
    over every application sent joined to its candidate (a million rows, 1.6 s together). A
    country whose candidates have only drafts is listed too, its list then empty."""
    pairs = Volunteer.objects.order_by().values_list("nationalities", "residence").distinct()
    nationalities: set[str] = set()
    residences: set[str] = set()
    for nationality, residence in pairs:
        nationalities.update(code for code in str(nationality or "").split(",") if code)
        if residence:
            residences.add(str(residence))
    return {"volunteer__nationalities": nationalities, "volunteer__residence": residences}


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
        # The search box's form keeps the other filters, the search and the ordering, but not
        # the filters on answers: they belong to the mission chosen before.
        self.other_params = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in {self.parameter_name, PAGE_VAR, ERROR_FLAG}
            and not name.startswith(ANSWER_PARAMETER)
            for value in values
        ]

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        key = "admin:missions-with-applications:latest"
        return list(cache.get_or_set(key, missions_with_applications, 300) or [])

    def value(self) -> str | None:
        return super().value() or None  # the search box cleared: every mission

    def choices(self, changelist: Any) -> Iterator[Any]:
        """Django's links, each leaving out the filters on the answers of the mission before."""
        # The page's rows, read by now: the chosen mission is there when the list is not empty.
        self.rows = getattr(changelist, "result_list", [])
        lookups = [None, *(lookup for lookup, _title in self.lookup_choices)]
        for choice, lookup in zip(super().choices(changelist), lookups, strict=False):
            if lookup is None:
                query = changelist.get_query_string(remove=[self.parameter_name, ANSWER_PARAMETER])
            else:
                query = changelist.get_query_string(
                    {self.parameter_name: lookup}, [ANSWER_PARAMETER]
                )
            yield {**choice, "query_string": query}

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
        # The field gives the widget its choices: the chosen mission only, read when rendered.
        field = forms.ModelChoiceField[Mission](
            queryset=Mission.objects.only("pk", "reference", "title"),
            required=False,
            widget=AutocompleteSelect(
                Application._meta.get_field("mission"),
                self.admin_site,
                attrs={"data-width": "13em"},
            ),
        )
        widget: forms.Widget = field.widget  # the widget the field gave its choices to
        known = [
            row.mission for row in getattr(self, "rows", [])[:1] if str(row.mission_id) == value
        ]
        if known:  # the chosen mission, as the page's first row read it: no query for it
            cast(Any, widget).choices.queryset = Known(known)
        return widget.render(
            self.parameter_name,
            value if value and value.isdigit() else None,
            attrs={"id": "mission-filter-search", "aria-label": str(self.title)},
        )


class Known:
    """Stands for a queryset whose rows are already known (the autocomplete's chosen option:
    it filters its choices' queryset on the value, then reads each row's label)."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def using(self, alias: str | None) -> "Known":
        return self

    def filter(self, **lookups: Any) -> list[Any]:
        return self.rows


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
