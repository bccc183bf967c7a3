from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from missions.eligibility import CandidateFacts
from missions.models import Mission, Programme


class MissionFilterForm(forms.Form):
    """The public list's filters; every field is optional and a bad value is reported, not fatal."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        help_text=_("Un mot de l'intitulé ou de l'annonce, par exemple « ESS »."),
    )
    country = forms.ChoiceField(label=_("Pays"), required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les programmes"),
    )
    open_only = forms.BooleanField(label=_("Seulement les missions ouvertes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = (
            Mission.objects.public().order_by().values_list("host_country", flat=True).distinct()
        )
        choices = sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])
        country_field = cast(forms.ChoiceField, self.fields["country"])
        country_field.choices = [("", _("Tous les pays")), *choices]
        self.fields["country"].error_messages["invalid_choice"] = _(
            "Aucune mission publiée dans ce pays : choisissez un pays de la liste."
        )
        self.fields["programme"].error_messages["invalid_choice"] = _(
            "Ce programme n'existe pas : choisissez un programme de la liste."
        )


def country_choices(empty_label: str) -> list[tuple[str, str]]:
    return [("", empty_label), *((code, str(name)) for code, name in countries)]


class EligibilityCheckForm(forms.Form):
    """The two questions an anonymous visitor answers to know at once whether they may apply."""

    nationality = forms.ChoiceField(label=_("Votre nationalité"))
    second_nationality = forms.ChoiceField(
        label=_("Une autre nationalité, si vous en avez une"), required=False
    )
    residence = forms.ChoiceField(label=_("Votre pays de résidence"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = country_choices(str(_("Choisissez un pays")))
        for name in ("nationality", "second_nationality", "residence"):
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = choices
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
