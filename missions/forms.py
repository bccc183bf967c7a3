from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
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
