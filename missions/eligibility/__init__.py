"""Who may apply to a mission: a pure function of (mission terms, candidate facts, now).

The same ``evaluate`` serves the mission page, the anonymous two-question check, the
submission (enforced on the server) and the admin. It reads no database:
``MissionTerms.from_mission`` gathers what it needs beforehand, and ``CandidateFacts``
(``core.candidates``) are plain values (the volunteer profile builds them).

Each framework (VSI, VIE, service civique) has its own rule set (``rules.RULE_SETS``) and its
own conditions and texts (``frameworks``). Every finding says who set its rule (the law, the
framework, the programme or the mission) and on what basis. Refusals stop a candidate;
notes are for staff. ``publication`` says why a mission's terms may not be published.
"""

from core.candidates import CandidateFacts
from missions.eligibility.findings import (
    RULES_VERSION,
    Basis,
    Finding,
    Severity,
    Source,
    Verdict,
)
from missions.eligibility.frameworks import ABROAD, HOSTED_IN_FRANCE, Framework, framework
from missions.eligibility.messages import MESSAGES, RULE_NAMES, render_message
from missions.eligibility.publication import age_bracket_problem, publication_problems
from missions.eligibility.rules import RULE_SETS, age_on, evaluate
from missions.eligibility.terms import (
    CEFR_LEVELS,
    KnockOut,
    MissionTerms,
    ProgrammeTerms,
    mission_knockouts,
)

__all__ = [
    "ABROAD",
    "CEFR_LEVELS",
    "HOSTED_IN_FRANCE",
    "MESSAGES",
    "RULES_VERSION",
    "RULE_NAMES",
    "RULE_SETS",
    "Basis",
    "CandidateFacts",
    "Finding",
    "Framework",
    "KnockOut",
    "MissionTerms",
    "ProgrammeTerms",
    "Severity",
    "Source",
    "Verdict",
    "age_bracket_problem",
    "age_on",
    "evaluate",
    "framework",
    "mission_knockouts",
    "publication_problems",
    "render_message",
]
