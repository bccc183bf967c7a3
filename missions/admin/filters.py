"""The missions list's own filters: data quality, and missions lacking their English text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from missions import quality
from missions.languages import lacking
from missions.models import Mission

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DataQualityFilter(admin.SimpleListFilter):
    title = _("qualité des données")
    parameter_name = "quality"

    def lookups(
        self,
        request: HttpRequest,
        model_admin: admin.ModelAdmin[Mission],
    ) -> list[tuple[str, StrOrPromise]]:
        choices: list[tuple[str, StrOrPromise]] = [
            ("issues", _("À vérifier")),
            ("clean", _("Sans remarque")),
        ]
        return choices + [(rule.code, rule.message) for rule in quality.RULES]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Mission]) -> QuerySet[Mission]:
        rules = {rule.code: rule for rule in quality.RULES}
        if self.value() == "issues":
            return queryset.filter(quality.any_finding())
        if self.value() == "clean":
            return queryset.exclude(quality.any_finding())
        rule = rules.get(self.value() or "")
        if rule is not None:
            return queryset.filter(rule.condition)
        return queryset


class EnglishTextFilter(admin.SimpleListFilter):
    """Missions whose English page still shows French: a field written in French only."""

    title = _("texte anglais")
    parameter_name = "english"

    def lookups(
        self,
        request: HttpRequest,
        model_admin: admin.ModelAdmin[Mission],
    ) -> list[tuple[str, StrOrPromise]]:
        return [
            ("missing", _("Incomplet (un champ en français seulement)")),
            ("complete", _("Complet")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Mission]) -> QuerySet[Mission]:
        if self.value() == "missing":
            return queryset.filter(lacking("en"))
        if self.value() == "complete":
            return queryset.exclude(lacking("en"))
        return queryset
