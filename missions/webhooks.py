"""What a mission's webhooks say: its public fields only (``webhooks.emit``)."""

from collections.abc import Iterable
from typing import Any

import webhooks
from missions.languages import text_in
from missions.models import Mission
from webhooks.events import Event

# A status change that receivers hear of.
STATUS_EVENTS = {Mission.Status.PUBLISHED: Event.MISSION_PUBLISHED,
                 Mission.Status.CLOSED: Event.MISSION_CLOSED}  # fmt: skip


def mission_payload(mission: Mission) -> dict[str, Any]:
    """The mission as its public page shows it: reference, title, status, country, dates."""
    return {
        "id": mission.pk,
        "reference": mission.reference,
        "title": text_in(mission, "title", "fr"),
        "title_en": text_in(mission, "title", "en"),
        "status": mission.status,
        "country": mission.host_country.code,
        "deadline_at": mission.deadline_at.isoformat() if mission.deadline_at else None,
        "published_at": mission.published_at.isoformat() if mission.published_at else None,
    }


def missions_emit_status(missions: Iterable[Mission]) -> int:
    """Emit mission.published or mission.closed for missions now in that status, in the
    caller's transaction; returns how many deliveries were written."""
    events = []
    for mission in missions:
        event = STATUS_EVENTS.get(Mission.Status(mission.status))
        if event == Event.MISSION_CLOSED and mission.published_at is None:
            continue  # a draft closed without ever being published: nobody heard of it
        if event is not None:
            events.append((str(event), mission_payload(mission)))
    return webhooks.emit_many(events)
