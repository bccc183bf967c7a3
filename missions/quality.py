"""Data-quality findings on missions: what a human should look at, never a reason to refuse a save.

Each rule is one Q expression, so the same definition flags a single mission
(``findings``) and filters the admin list (``MissionQuerySet.with_quality``). A rule about
the mission's rows elsewhere (its training sessions) is an ``Exists`` in its Q, and checks a
single mission with a query of its own (``check``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _

from missions.models import Mission, TrainingSession

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class QualityRule:
    code: str
    message: StrPromise
    condition: Q
    # For a rule on other tables (its Q needs the mission saved) or on text: the mission's check.
    check: Callable[[Mission], bool] | None = None


def late_training_session(mission: Mission) -> bool:
    """A session of the mission ends on or after its (possibly unsaved) start date."""
    if mission.pk is None or mission.start_date is None:
        return False
    sessions = TrainingSession.objects.filter(mission=mission.pk)
    return sessions.filter(ends_on__gte=mission.start_date).exists()


RULES: tuple[QualityRule, ...] = (
    QualityRule(
        "deadline_after_start",
        _("La date limite de candidature tombe après le début de la mission."),
        Q(deadline_date__gt=F("start_date")),
    ),
    QualityRule(
        "deadline_after_training",
        _("La date limite de candidature tombe après le stage de préparation au départ."),
        Q(deadline_date__gt=F("training_start")),
    ),
    QualityRule(
        "training_after_start",
        _("Le stage de préparation au départ commence après le début de la mission."),
        Q(training_start__gt=F("start_date")),
    ),
    QualityRule(
        "published_after_deadline",
        _("La mission est publiée après sa propre date limite."),
        Q(published_on__gt=F("deadline_date")),
    ),
    QualityRule(
        "training_session_after_start",
        _("Une session de formation au départ se termine le jour du début de la mission ou après."),
        Q(
            Exists(
                TrainingSession.objects.filter(
                    mission=OuterRef("pk"), ends_on__gte=OuterRef("start_date")
                )
            )
        ),
        check=late_training_session,
    ),
)


# Notes: worth knowing, nothing to correct (a mission is published in French alone). They
# show with the findings, and count in neither the list's summary nor the "À vérifier" filter.
NOTES: tuple[QualityRule, ...] = (
    QualityRule(
        "english_title_missing",
        _("Titre anglais manquant : la page anglaise montre le titre en français."),
        Q(title_en__isnull=True) | Q(title_en=""),
        check=lambda mission: not getattr(mission, "title_en", ""),
    ),
)


def notes(mission: Mission) -> list[QualityRule]:
    """The notes on a mission, from its current (possibly unsaved) values."""
    return [rule for rule in NOTES if rule.check and rule.check(mission)]


def findings(mission: Mission) -> list[QualityRule]:
    """The rules a mission breaks, checked against its current (possibly unsaved) values."""
    values = {
        field.attname: Value(getattr(mission, field.attname), output_field=field)
        for field in Mission._meta.concrete_fields
        if isinstance(field, models.DateField)
    }
    return [
        rule
        for rule in RULES
        if (rule.check(mission) if rule.check else rule.condition.check(values))
    ]


def with_quality(queryset: models.QuerySet[Mission]) -> models.QuerySet[Mission]:
    """Annotate each mission with one boolean per rule (``dq_<code>``) in the same query."""
    return queryset.annotate(
        **{
            f"dq_{rule.code}": ExpressionWrapper(rule.condition, output_field=models.BooleanField())
            for rule in RULES
        }
    )


def any_finding() -> Q:
    query = Q()
    for rule in RULES:
        query |= rule.condition
    return query
