"""Staff review: stage moves and their rules, reviews and scores, notes, assignment."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import webhooks
from applications.models import (
    DEFAULT_CRITERIA,
    NOTIFIED_STAGES,
    STAFF_STAGES,
    TRANSITIONS,
    Application,
    Note,
    RefusalReason,
    Review,
    Stage,
)
from applications.services import ApplicationError
from applications.stages import STAGE_FIELDS, StageCounts, stage_moved
from applications.webhooks import stage_event
from missions.models import Mission
from notifications import outbox
from review import emails
from volunteers.models import User


@dataclass
class StageMove:
    """The outcome of a bulk move: what moved, and why the others could not."""

    moved: list[Application] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def stage_move_problem(application: Application, to_stage: str) -> str | None:
    if to_stage in TRANSITIONS.get(application.stage, frozenset()):
        return None
    return str(
        _("%(reference)s : passer de « %(from)s » à « %(to)s » n'est pas possible.")
        % {
            "reference": application.reference or application.pk,
            "from": application.get_stage_display(),
            "to": Stage(to_stage).label,
        }
    )


def locked_applications(application_ids: list[int]) -> QuerySet[Application]:
    """The applications, locked for the transaction in the order of their keys."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("volunteer__user", "mission")
        .filter(pk__in=application_ids)
        .order_by("pk")
    )


@transaction.atomic
def applications_move_stage(
    *,
    application_ids: list[int],
    to_stage: str,
    acting_user: User,
    comment: str = "",
    reason: RefusalReason | None = None,
    via: str = "",
) -> StageMove:
    """Move applications to a stage: history row and candidate e-mail each, all or nothing.
    ``via``: the program acting for ``acting_user`` (an API key), kept in the history."""
    if to_stage not in STAFF_STAGES:
        raise ValueError(f"staff do not move applications to {to_stage}")
    if to_stage == Stage.REJECTED and reason is None:
        raise ApplicationError(_("Choisissez le motif du refus."))
    result = StageMove()
    now = timezone.now()
    counts = StageCounts()  # written once, after the moves, in key order
    events: list[tuple[str, dict[str, Any]]] = []
    for application in locked_applications(application_ids):
        problem = stage_move_problem(application, to_stage)
        if problem:
            result.refused.append((application.reference or str(application.pk), problem))
            continue
        previous = application.stage
        application.stage = to_stage
        application.refusal_reason = reason if to_stage == Stage.REJECTED else None
        application._change_reason = comment  # type: ignore[attr-defined]  # for simple-history
        change = stage_moved(
            application,
            previous=previous,
            at=now,
            by=acting_user,
            comment=comment,
            via=via,
            into=counts,
        )
        application.save(update_fields=["refusal_reason", *STAGE_FIELDS])
        if to_stage in NOTIFIED_STAGES:
            outbox.enqueue(emails.stage_changed(application, change))
        events.append(stage_event(application, previous=previous))
        result.moved.append(application)
    counts.write()
    webhooks.emit_many(events)  # in this transaction, the endpoints read once
    if to_stage != Stage.INTERVIEW:  # an interview still to come is no longer needed
        from review.interviews import seats_release  # it imports these services

        seats_release(now=now, application_ids=[a.pk for a in result.moved])
    return result


def review_save(
    *, application: Application, reviewer: User, scores: dict[str, int], comment: str
) -> Review:
    """Record (or update) a reviewer's scores: one review per reviewer and application."""
    criteria = mission_criteria(application.mission)
    if set(scores) != set(criteria) or not all(1 <= int(v) <= 5 for v in scores.values()):
        raise ApplicationError(_("Notez chaque critère de 1 à 5."))
    average = Decimal(sum(int(v) for v in scores.values())) / len(scores)
    review, _created = Review.objects.update_or_create(
        application=application,
        reviewer=reviewer,
        defaults={
            "scores": scores,
            "average": average.quantize(Decimal("0.01")),
            "comment": comment,
        },
    )
    return review


def note_add(*, application: Application, author: User, text: str) -> Note:
    """An internal note on an application, for staff only."""
    return Note.objects.create(application=application, author=author, text=text)


def mission_criteria(mission: Mission) -> dict[str, str]:
    """The mission's review criteria (code: label), or the default five."""
    if mission.review_criteria:
        return {str(code): str(code) for code in mission.review_criteria}
    return {code: str(label) for code, label in DEFAULT_CRITERIA.items()}


@transaction.atomic
def applications_assign(*, application_ids: list[int], reviewer: User | None) -> int:
    """Give applications to a reviewer (or to nobody)."""
    applications = Application.objects.filter(pk__in=application_ids)
    for application in applications:
        application.assigned_to = reviewer
        application.save(update_fields=["assigned_to", "updated_at"])
    return len(applications)
