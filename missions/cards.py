"""The public list's mission cards, built in Python from plain rows.

A card is a handful of strings: the template only writes them out. Building them here, from
``values()`` rows rather than model instances, with each country name, date and duration
worked out once per page, costs a fraction of resolving the same facts in the template.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import ngettext
from django_countries import countries

from missions.models import Mission
from missions.templatetags.missions import time_left

# Columns a card needs, read by the catalogue's query (``closed_rank`` is its annotation).
CARD_FIELDS = (
    "id",
    "reference",
    "title",
    "city",
    "host_country",
    "duration_months",
    "deadline_date",
    "deadline_at",
    "closed_rank",
)


class MissionCard(TypedDict):
    url: str
    title: str
    facts: str  # « 3S1284 · Dakar, Sénégal · 12 mois · VSI »
    is_open: bool
    deadline: str  # « 1 avril 2027 »
    time_left: str  # « plus que 3 jours »


def mission_cards(rows: Iterable[Mapping[str, Any]], now: dt.datetime) -> list[MissionCard]:
    """One card per row of ``CARD_FIELDS``, in the rows' order; one query for the programmes."""
    rows = list(rows)
    programmes = programme_names([row["id"] for row in rows])
    country_names: dict[str, str] = {}
    durations: dict[int, str] = {}
    dates: dict[dt.date, str] = {}
    cards = []
    for row in rows:
        code, months, deadline = row["host_country"], row["duration_months"], row["deadline_date"]
        if code not in country_names:
            country_names[code] = str(countries.name(code))
        if months not in durations:
            durations[months] = ngettext("%(months)s mois", "%(months)s mois", months) % {
                "months": months
            }
        if deadline not in dates:
            dates[deadline] = dateformat.format(deadline, "j F Y")
        facts = [row["reference"], f"{row['city']}, {country_names[code]}", durations[months]]
        is_open = row["closed_rank"] == 0
        cards.append(
            MissionCard(
                url=reverse("missions:detail", kwargs={"reference": row["reference"]}),
                title=row["title"],
                facts=" · ".join(facts + programmes.get(row["id"], [])),
                is_open=is_open,
                deadline=dates[deadline],
                time_left=time_left(row["deadline_at"], now) if is_open else "",
            )
        )
    return cards


def programme_names(mission_ids: list[int]) -> dict[int, list[str]]:
    """Each mission's programme names, by name (the order of ``Programme.Meta.ordering``)."""
    names: dict[int, list[str]] = {}
    if not mission_ids:
        return names
    links = (
        Mission.programmes.through.objects.filter(mission_id__in=mission_ids)
        .order_by("programme__name")
        .values_list("mission_id", "programme__name")
    )
    for mission_id, name in links:
        names.setdefault(mission_id, []).append(name)
    return names
