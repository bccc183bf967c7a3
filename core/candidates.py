"""What eligibility knows of a candidate, as plain values.

Here, beside neither app, so that ``missions`` (whose rules read them) and ``volunteers``
(whose profile gives them) need not import each other.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CandidateFacts:
    """What the candidate declares; None (or empty) means not known."""

    nationalities: frozenset[str] = frozenset()
    residence: str | None = None  # where the candidate lives now
    # Where the candidate is a regular resident (a residence permit or a nationality);
    # None: not asked (an earlier profile), which the rules treat as unknown.
    regular_residences: frozenset[str] | None = None
    previous_residences: frozenset[str] = frozenset()
    birth_date: dt.date | None = None
    vsi_months: int | None = None
    professional_activity: bool | None = None
    experience_years: int | None = None
    languages: Mapping[str, str] = field(default_factory=dict)
    # Answers to the mission's own questions, by question id (a choice's value, "yes"/"no",
    # or a list of values for a multiple choice): the knock-out rules read them.
    answers: Mapping[int, Any] = field(default_factory=dict)
