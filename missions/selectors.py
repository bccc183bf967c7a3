import datetime as dt
from typing import Any

from missions.models import Mission, MissionQuerySet


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
