from typing import Any, cast

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from alerts.models import Alert
from missions.forms import MissionFilterForm, PublicForm, country_choices


class AlertForm(MissionFilterForm):
    """The catalogue's filters (the same fields, checked the same way), an address and a
    frequency. Any country may be watched, also one with no mission yet."""

    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _(
                "Cette adresse e-mail n'est pas valide : vérifiez-la (exemple : nom@exemple.org)."
            ),
        },
    )
    frequency = forms.ChoiceField(
        label=_("Recevoir les nouvelles missions"),
        choices=Alert.Frequency.choices,
        initial=Alert.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une fréquence."),
            "invalid_choice": _("Choisissez l'une des fréquences proposées."),
        },
    )

    field_order = ("email", "q", "country", "programme", "framework", "frequency")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["open_only"]  # an alert sends open missions only
        self.fields["q"].label = _("Mots recherchés")
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = country_choices(str(_("Tous les pays")))
        country.error_messages["invalid_choice"] = _(
            "Ce pays est inconnu : choisissez un pays de la liste."
        )

    def render(
        self, template_name: str | None = None, context: Any = None, renderer: Any = None
    ) -> SafeString:
        return PublicForm.render(self, template_name, context, renderer)

    __str__ = __html__ = render

    def search(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("q", "country", "programme", "framework")
        }


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Alert.Frequency.choices)
