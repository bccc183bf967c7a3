"""What the rules read of a mission and its programmes, as plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from missions.eligibility.frameworks import ABROAD, ADULT_AGE, VSI

if TYPE_CHECKING:
    from missions.models import Mission, Programme, Question

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


@dataclass(frozen=True)
class ProgrammeTerms:
    """A programme's name and what it adds to its missions' rules: plain values, so that a
    table of them can be kept in the shared cache (``missions.selectors.mission_links``)."""

    name: str
    min_age: int | None = None
    max_age: int | None = None
    admitted_nationalities: frozenset[str] = frozenset()  # empty: every nationality

    @classmethod
    def from_programme(cls, programme: Programme) -> ProgrammeTerms:
        return cls(
            name=programme.name,
            min_age=programme.min_age,
            max_age=programme.max_age,
            admitted_nationalities=frozenset(c.code for c in programme.admitted_nationalities),
        )


@dataclass(frozen=True)
class KnockOut:
    """A mission's question whose answers may stop a candidate ("Permis B : non"), with its
    labels as the mission wrote them (plain values, kept in the shared cache like
    ``ProgrammeTerms``)."""

    question: int  # the question's id, as in ``CandidateFacts.answers``
    label_fr: str
    label_en: str
    kind: str
    # Every answer offered, as (value, French label, English label), in order.
    options: tuple[tuple[str, str, str], ...]
    values: frozenset[str]  # the answers that stop a candidate
    ask_before: bool = False  # also asked in the anonymous check of the mission page

    @classmethod
    def from_question(cls, question: Question) -> KnockOut:
        return cls(
            question=question.pk,
            label_fr=question.label_fr,
            label_en=question.label_en,
            kind=question.kind,
            options=tuple((o["value"], o["fr"], o["en"]) for o in question.options),
            values=frozenset(question.knockout_values or ()),
            ask_before=question.ask_before_applying,
        )

    def option_labels(self, value: str) -> tuple[str, str]:
        for code, label_fr, label_en in self.options:
            if code == value:
                return label_fr, label_en
        return value, value


@dataclass(frozen=True)
class MissionTerms:
    """The mission's and its programmes' parameters, each kept apart so that a refusal can say
    who set the rule (the framework's own are in ``frameworks``)."""

    reference: str
    is_published: bool
    framework: str  # VSI, VIE or SERVICE_CIVIQUE (the mission's volunteer status)
    host_country: str
    time_zone: str
    duration_months: int
    start_date: dt.date
    deadline_at: dt.datetime
    direction: str = ABROAD
    contract_date: dt.date | None = None  # None: the start date
    # The mission's own exclusions, beyond those of the law.
    excluded_nationalities: frozenset[str] = frozenset()
    excluded_residences: frozenset[str] = frozenset()
    min_age: int = ADULT_AGE  # the mission's own
    programme_min_age: int | None = None
    programme_max_age: int | None = None
    admitted_nationalities: frozenset[str] = frozenset()  # the programmes'; empty: all
    min_experience_years: int = 0
    languages_required: Mapping[str, str] = field(default_factory=dict)
    knockouts: tuple[KnockOut, ...] = ()  # the mission's knock-out questions, in order

    @property
    def is_vsi(self) -> bool:
        return self.framework == VSI

    @property
    def contract_day(self) -> dt.date:
        """The day the contract is expected to be signed, when ages are reckoned."""
        return self.contract_date or self.start_date

    @classmethod
    def from_mission(
        cls,
        mission: Mission,
        programmes: Iterable[ProgrammeTerms] | None = None,
        knockouts: Iterable[KnockOut] | None = None,
    ) -> MissionTerms:
        """Gather the mission's and its programmes' parameters: the programmes' terms and
        knock-out questions given, or its own (prefetch ``programmes`` and
        ``question_links__question``)."""
        if knockouts is None:
            knockouts = mission_knockouts(link.question for link in mission.question_links.all())
        if programmes is None:
            programmes = [ProgrammeTerms.from_programme(p) for p in mission.programmes.all()]
        programmes = list(programmes)
        admitted: set[str] = set()
        for programme in programmes:
            admitted |= programme.admitted_nationalities
        min_ages = [p.min_age for p in programmes if p.min_age is not None]
        max_ages = [p.max_age for p in programmes if p.max_age is not None]
        return cls(
            reference=mission.reference,
            is_published=mission.status == mission.Status.PUBLISHED,
            framework=mission.volunteer_status,
            host_country=mission.host_country.code,
            time_zone=mission.time_zone,
            duration_months=mission.duration_months,
            start_date=mission.start_date,
            deadline_at=mission.deadline_at,
            direction=mission.direction,
            contract_date=mission.contract_date,
            excluded_nationalities=frozenset(c.code for c in mission.excluded_nationalities),
            excluded_residences=frozenset(c.code for c in mission.excluded_residences),
            min_age=mission.min_age,
            programme_min_age=max(min_ages) if min_ages else None,
            programme_max_age=min(max_ages) if max_ages else None,
            admitted_nationalities=frozenset(admitted),
            min_experience_years=mission.min_experience_years,
            languages_required=dict(mission.languages_required or {}),
            knockouts=tuple(knockouts),
        )


def mission_knockouts(questions: Iterable[Question]) -> tuple[KnockOut, ...]:
    """The knock-out questions among a mission's questions (in their order)."""
    return tuple(KnockOut.from_question(q) for q in questions if q.knockout_values)
