"""The staff search's filters and the invitation's choice of volunteers: validation only."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.models import Stage
from core.widgets import CountrySelect, QuickSelect
from missions.models import Mission
from talent.search import Criteria
from volunteers.models import LANGUAGE_CHOICES, CefrLevel

LANGUAGE_FILTERS = 3  # language and minimum level pairs offered at once
NO_CHOICE: list[tuple[str, Any]] = [("", "—")]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Mots"),
        required=False,
        max_length=200,
        help_text=_("Dans le profil, les réponses, les CV et les lettres. « - » exclut un mot."),
    )
    # Selects of hundreds of options: written without a template per option (core.widgets).
    nationality = forms.ChoiceField(
        label=_("Nationalité"), required=False, widget=CountrySelect(NO_CHOICE[0][1])
    )
    regular_residence = forms.ChoiceField(
        label=_("Résidence régulière"), required=False, widget=CountrySelect(NO_CHOICE[0][1])
    )
    past_mission = forms.CharField(
        label=_("A candidaté à la mission (référence)"), required=False, max_length=20
    )
    stage_reached = forms.ChoiceField(
        label=_("Étape atteinte"),
        required=False,
        choices=NO_CHOICE + [c for c in Stage.choices if c[0] != Stage.DRAFT],
        widget=QuickSelect,
    )
    pool_only = forms.BooleanField(label=_("Membres du vivier seulement"), required=False)
    target = forms.ModelChoiceField(
        label=_("Mission visée (éligibilité, invitations)"),
        required=False,
        queryset=Mission.objects.none(),
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, now: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_choices = NO_CHOICE + [(code, str(name)) for code, name in countries]
        self.fields["nationality"].choices = country_choices  # type: ignore[attr-defined]
        self.fields["regular_residence"].choices = country_choices  # type: ignore[attr-defined]
        target = cast("forms.ModelChoiceField[Mission]", self.fields["target"])
        target.queryset = Mission.objects.open(now).order_by("reference")
        # The list shows labels only (a mission's row holds the whole posting); the mission
        # chosen is still read whole, for its eligibility terms.
        target.widget.choices = [
            ("", target.empty_label),
            *((mission.pk, str(mission)) for mission in target.queryset.only("reference", "title")),
        ]
        for n in range(1, LANGUAGE_FILTERS + 1):
            self.fields[f"language{n}"] = forms.ChoiceField(
                label=_("Langue"),
                required=False,
                choices=NO_CHOICE + LANGUAGE_CHOICES,
                widget=QuickSelect,
            )
            self.fields[f"level{n}"] = forms.ChoiceField(
                label=_("Niveau minimum"),
                required=False,
                choices=NO_CHOICE + CefrLevel.choices,
                widget=QuickSelect,
            )

    def clean_past_mission(self) -> int | None:
        reference = self.cleaned_data["past_mission"].strip()
        if not reference:
            return None
        mission = Mission.objects.filter(reference__iexact=reference).values("pk").first()
        if mission is None:
            raise forms.ValidationError(
                _("Aucune mission n'a cette référence : vérifiez-la (par exemple 3S1284)."),
                code="unknown_mission",
            )
        return int(mission["pk"])

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        languages = tuple(
            (data[f"language{n}"], data[f"level{n}"] or CefrLevel.A1)
            for n in range(1, LANGUAGE_FILTERS + 1)
            if data.get(f"language{n}")
        )
        return Criteria(
            words=data["q"],
            languages=languages,
            nationality=data["nationality"],
            regular_residence=data["regular_residence"],
            past_mission=data["past_mission"],
            stage_reached=data["stage_reached"],
            pool_only=data["pool_only"],
        )


class InviteForm(forms.Form):
    mission = forms.ModelChoiceField(queryset=Mission.objects.none())
    volunteers = forms.Field(widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, *args: Any, now: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = Mission.objects.open(now)  # type: ignore[attr-defined]

    def clean_volunteers(self) -> list[int]:
        chosen = [int(pk) for pk in self.cleaned_data["volunteers"] or [] if str(pk).isdigit()]
        if not chosen:
            raise forms.ValidationError(
                _("Cochez au moins un membre du vivier à inviter."), code="none_chosen"
            )
        return chosen
