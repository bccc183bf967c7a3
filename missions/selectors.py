import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

from missions import cache as mission_cache
from missions.models import Mission, MissionQuerySet, Programme

T = TypeVar("T")


def missions_for_catalogue(*, filters: dict[str, Any], now: dt.datetime) -> MissionQuerySet:
    """Public missions matching the list's cleaned filters, open ones first by nearest deadline.

    The list reads only the columns of its cards from it (``missions.cards.CARD_FIELDS``).
    """
    missions = Mission.objects.public()
    if filters.get("country"):
        missions = missions.filter(host_country=filters["country"])
    if filters.get("programme"):
        missions = missions.filter(programmes__slug=filters["programme"])
    if filters.get("open_only"):
        missions = missions.open(now)
    if filters.get("q"):
        missions = missions.search(str(filters["q"]))
    return missions.open_first(now)


class MissionLinks(NamedTuple):
    """A mission's programmes (whose rules its eligibility follows) and partners' names, each
    in their model's order (by name)."""

    programmes: tuple[Programme, ...]
    partner_names: tuple[str, ...]


NO_LINKS = MissionLinks((), ())


def mission_links(mission: Mission) -> MissionLinks:
    """A public mission's programmes and partners.

    They come from a table of every public mission's links, kept like the filter lists until a
    mission, a programme or a partner changes (``missions.cache.kept_value``: the admin and the
    loader bump the version): the mission page and the cards cost no query for them. A mission
    the table does not hold yet (changed without a bump, from a shell) is read from the database.
    """
    links = kept_links_table().get(mission.pk)
    if links is None:
        links = MissionLinks(
            tuple(mission.programmes.all()),
            tuple(mission.partners.values_list("name", flat=True)),
        )
    return links


def kept_links_table() -> dict[int, MissionLinks]:
    """``mission_links_table``, computed once per missions version (``kept_value``)."""
    return mission_cache.kept_value("missions:links", mission_links_table)


def mission_links_table() -> dict[int, MissionLinks]:
    """Every public mission's links, by mission id (``NO_LINKS`` for a mission without any)."""
    public = Mission.objects.public()
    programmes = Programme.objects.in_bulk()
    programme_ids = by_mission(
        Mission.programmes.through.objects.filter(mission__in=public)
        .order_by("programme__name", "programme_id")  # Programme.Meta.ordering
        .values_list("mission_id", "programme_id")
    )
    partner_names = by_mission(
        Mission.partners.through.objects.filter(mission__in=public)
        .order_by("partner__name", "partner_id")  # Partner.Meta.ordering
        .values_list("mission_id", "partner__name")
    )
    return {
        mission_id: MissionLinks(
            tuple(programmes[pk] for pk in programme_ids.get(mission_id, ())),
            tuple(partner_names.get(mission_id, ())),
        )
        if mission_id in programme_ids or mission_id in partner_names
        else NO_LINKS
        for mission_id in public.values_list("pk", flat=True)
    }


def by_mission(pairs: Iterable[tuple[int, T]]) -> dict[int, list[T]]:
    """(mission id, value) pairs as each mission's list of values, in the pairs' order."""
    grouped: dict[int, list[T]] = {}
    for mission_id, value in pairs:
        grouped.setdefault(mission_id, []).append(value)
    return grouped
