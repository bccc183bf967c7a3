from typing import Any, cast

from django import forms
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from missions import cache as mission_cache
from missions.eligibility import CandidateFacts
from missions.models import Mission, Programme
from missions.widgets import CountrySelect, PlainSelect

FILTER_CHOICES_TTL = 3600


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Countries with public missions and the programmes, cached until a mission changes."""
    key = f"missions:filters:{mission_cache.version()}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        codes = (
            Mission.objects.public().order_by().values_list("host_country", flat=True).distinct()
        )
        countries_found = sorted(((c, str(countries.name(c))) for c in codes), key=lambda c: c[1])
        programmes = list(Programme.objects.values_list("slug", "name"))
        cached = (countries_found, programmes)
        # Kept even when pages are not cached: the version in the key says when it is stale.
        cache.set(key, cached, FILTER_CHOICES_TTL)
    return cached


class MissionFilterForm(forms.Form):
    """The public list's filters; every field is optional and a bad value is reported, not fatal."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        help_text=_("Un mot de l'intitulé ou de l'annonce, par exemple « ESS »."),
    )
    country = forms.ChoiceField(label=_("Pays"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    open_only = forms.BooleanField(label=_("Seulement les missions ouvertes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_choices, programme_choices = filter_choices()
        country_field = cast(forms.ChoiceField, self.fields["country"])
        country_field.choices = [("", _("Tous les pays")), *country_choices]
        country_field.widget = PlainSelect(choices=country_field.choices)
        programme_field = cast(forms.ChoiceField, self.fields["programme"])
        programme_field.choices = [("", _("Tous les programmes")), *programme_choices]
        programme_field.widget = PlainSelect(choices=programme_field.choices)
        self.fields["country"].error_messages["invalid_choice"] = _(
            "Aucune mission publiée dans ce pays : choisissez un pays de la liste."
        )
        self.fields["programme"].error_messages["invalid_choice"] = _(
            "Ce programme n'existe pas : choisissez un programme de la liste."
        )


def country_choices(empty_label: str) -> list[tuple[str, str]]:
    return [("", empty_label), *((code, str(name)) for code, name in countries)]


def eligibility_country_choices() -> list[tuple[str, str]]:
    return country_choices(str(_("Choisissez un pays")))


class EligibilityCheckForm(forms.Form):
    """The two questions an anonymous visitor answers to know at once whether they may apply."""

    nationality = forms.ChoiceField(label=_("Votre nationalité"))
    second_nationality = forms.ChoiceField(
        label=_("Une autre nationalité, si vous en avez une"), required=False
    )
    residence = forms.ChoiceField(label=_("Votre pays de résidence"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("nationality", "second_nationality", "residence"):
            field = cast(forms.ChoiceField, self.fields[name])
            # A callable: the 250 countries are listed only to check an answer; the widget
            # renders from its own cached HTML.
            field.choices = eligibility_country_choices
            field.widget = CountrySelect(_("Choisissez un pays"), attrs={"class": "form-select"})
            field.error_messages["invalid_choice"] = _("Choisissez un pays de la liste.")
            field.error_messages["required"] = _("Choisissez un pays de la liste.")

    def facts(self) -> CandidateFacts:
        nationalities = {self.cleaned_data["nationality"], self.cleaned_data["second_nationality"]}
        return CandidateFacts(
            nationalities=frozenset(n for n in nationalities if n),
            residence=self.cleaned_data["residence"],
        )


class ReviewRequestForm(forms.Form):
    email = forms.EmailField(label=_("Votre adresse e-mail"))
    message = forms.CharField(
        label=_("Pourquoi pensez-vous pouvoir postuler ?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    nationality = forms.CharField(required=False, widget=forms.HiddenInput)
    second_nationality = forms.CharField(required=False, widget=forms.HiddenInput)
    residence = forms.CharField(required=False, widget=forms.HiddenInput)
