from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.events import Event
from webhooks.models import Endpoint
from webhooks.security import UnresolvedHost, UnsafeURL, target


class EndpointForm(forms.ModelForm[Endpoint]):
    """Staff register a receiver: an address that is public and https, and its events."""

    url = forms.URLField(
        label=_("adresse"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Une adresse https:// publique ; les redirections ne sont pas suivies."),
    )
    events = forms.MultipleChoiceField(
        label=_("événements"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les événements envoyés à cette adresse."),
    )

    class Meta:
        model = Endpoint
        fields = ("name", "url", "events", "active")

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            target(url)
        except (UnsafeURL, UnresolvedHost) as error:
            raise forms.ValidationError(str(error), code="unsafe_url") from error
        return url

    def clean_events(self) -> list[str]:
        chosen: list[Any] = self.cleaned_data["events"]
        return [str(event) for event in chosen]
