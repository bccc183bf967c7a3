"""What an application's webhooks say: references, stages and dates; never the candidate's
documents, address, date of birth or name (``webhooks.emit``)."""

import datetime as dt
from typing import Any

import webhooks
from applications.models import Application, Stage
from webhooks.events import Event


def iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def application_payload(application: Application, *, previous: str = "") -> dict[str, Any]:
    payload = {
        "id": application.pk,
        "reference": application.reference,
        "mission_reference": application.mission.reference,
        "stage": application.stage,
        "submitted_at": iso(application.submitted_at),
        "stage_since": iso(application.stage_since),
        "withdrawn_at": iso(application.withdrawn_at),
    }
    if previous:
        payload["previous_stage"] = previous
    return payload


def stage_event(application: Application, *, previous: str) -> tuple[str, dict[str, Any]]:
    """The event of the move the caller just made: submitted, withdrawn, or another stage
    change, with its payload."""
    events = {
        Stage.SUBMITTED: Event.APPLICATION_SUBMITTED,
        Stage.WITHDRAWN: Event.APPLICATION_WITHDRAWN,
    }
    event = events.get(Stage(application.stage), Event.APPLICATION_STAGE_CHANGED)
    return event, application_payload(application, previous=previous)


def application_emit_stage(application: Application, *, previous: str) -> int:
    """Emit the move the caller just made, in its transaction."""
    return webhooks.emit(*stage_event(application, previous=previous))
