"""The dashboard's filters: a period, and a programme, a host country or a mission."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.countries import country_name
from core.widgets import QuickSelect
from dashboard.figures import Filters
from missions.models import Mission, Programme

DEFAULT_DAYS = 30
LONGEST_PERIOD = 731  # two years
EARLIEST = dt.date(2000, 1, 1)  # no recruitment here before; far older dates overflow


class DateInput(forms.DateInput):
    input_type = "date"


def mission_label(mission: Mission) -> str:
    return f"{mission.reference} – {mission.title}"


class DashboardForm(forms.Form):
    """Every field is optional; a bad value is reported on its field, and the figures use the
    default for it meanwhile (the other filters still apply)."""

    start = forms.DateField(label=_("Du"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Au"), required=False, widget=DateInput)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Tous les programmes"),
        widget=QuickSelect,
    )
    country = forms.ChoiceField(label=_("Pays d'accueil"), required=False, widget=QuickSelect)
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.none(),
        required=False,
        empty_label=_("Toutes les missions"),
        widget=QuickSelect,
    )

    def __init__(
        self, *args: Any, missions: QuerySet[Mission], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["start"].widget.attrs["max"] = self.fields["end"].widget.attrs["max"] = today
        programmes = cast("forms.ModelChoiceField[Programme]", self.fields["programme"])
        programmes.queryset = Programme.objects.filter(missions__in=missions).distinct()
        codes = sorted(set(missions.order_by().values_list("host_country", flat=True)))
        country, language = cast(forms.ChoiceField, self.fields["country"]), get_language()
        country.choices = [
            ("", _("Tous les pays")),
            *sorted(((c, country_name(c, language)) for c in codes), key=lambda item: item[1]),
        ]
        mission = cast("forms.ModelChoiceField[Mission]", self.fields["mission"])
        # The list's labels only: a mission's row holds the whole posting.
        mission.queryset = missions.order_by("-deadline_at", "reference").only(
            "pk", "reference", "title"
        )
        mission.label_from_instance = mission_label  # type: ignore[method-assign,assignment]
        for name, message in (
            ("start", _("Saisissez une date, par exemple 01/09/2026.")),
            ("end", _("Saisissez une date, par exemple 30/09/2026.")),
        ):
            self.fields[name].error_messages["invalid"] = message
        self.fields["programme"].error_messages["invalid_choice"] = _(
            "Ce programme n'a pas de mission ici : choisissez-en un de la liste."
        )
        self.fields["country"].error_messages["invalid_choice"] = _(
            "Aucune mission dans ce pays : choisissez un pays de la liste."
        )
        self.fields["mission"].error_messages["invalid_choice"] = _(
            "Cette mission n'est pas parmi les vôtres : choisissez-en une de la liste."
        )

    def clean(self) -> dict[str, Any]:
        """Each date on its own (not in the future, not before ``EARLIEST``), then the period:
        its end after its start, two years at most, the end taken as today when left out."""
        data = super().clean() or {}
        for name in ("start", "end"):
            day = data.get(name)
            if day and day > self.today:
                self.add_error(name, _("La période ne peut pas être dans le futur."))
            elif day and day < EARLIEST:
                self.add_error(name, _("Choisissez une date après le 1er janvier 2000."))
        start, end = data.get("start"), data.get("end") or self.today
        if start and start > end:
            self.add_error("end", _("La fin de la période doit suivre son début."))
        elif start and end - start > dt.timedelta(days=LONGEST_PERIOD):
            self.add_error("start", _("Choisissez une période de deux ans au plus."))
        return data

    def filters(self) -> Filters:
        """The valid filters, with the default for any missing or invalid one: the last
        ``DEFAULT_DAYS`` days, every programme, country and mission."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        end = data.get("end") or self.today
        start = data.get("start") or max(end - dt.timedelta(days=DEFAULT_DAYS - 1), EARLIEST)
        programme, mission = data.get("programme"), data.get("mission")
        return Filters(
            start=start,
            end=end,
            programme=programme.pk if programme else None,
            country=data.get("country") or "",
            mission=mission.pk if mission else None,
        )
