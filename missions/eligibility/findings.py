"""What a judgement is made of: findings (a refusal or a note), their basis, and the verdict."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Bumped whenever a rule or its wording changes: each snapshot keeps the version it was judged
# under, and the admin shows older snapshots in their own wording (messages.LEGACY_MESSAGES).
RULES_VERSION = "2026.12-2"


class Severity(enum.StrEnum):
    REFUSAL = "refusal"  # the candidate may not apply, and is told why
    NOTE = "note"  # for staff only: something to check before deciding


class Source(enum.StrEnum):
    """Who set a rule: the law, the volunteering framework, the programme, or the mission."""

    LAW = "law"
    FRAMEWORK = "framework"
    PROGRAMME = "programme"
    MISSION = "mission"

    @property
    def label(self) -> str:
        return str(SOURCE_LABELS[self])


SOURCE_LABELS = {
    Source.LAW: _("Loi"),
    Source.FRAMEWORK: _("Dispositif"),
    Source.PROGRAMME: _("Programme"),
    Source.MISSION: _("Mission"),
}

# A framework condition no text consulted could confirm: configurable, and said as such.
UNCONFIRMED = gettext_noop("Règle du dispositif, à confirmer")
MISSION_RULES = gettext_noop("Règles de candidature de la mission")
PROGRAMME_RULES = gettext_noop("Règles du programme")


@dataclass(frozen=True)
class Basis:
    """Where a rule comes from: its source, and the text cited (stored in French as written
    here; the catalogues translate the non-legal ones on display)."""

    source: Source
    citation: str


MISSION = Basis(Source.MISSION, MISSION_RULES)
PROGRAMME = Basis(Source.PROGRAMME, PROGRAMME_RULES)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    basis: Basis
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def legal_basis(self) -> str:
        return self.basis.citation

    @property
    def source(self) -> Source:
        return self.basis.source

    @property
    def message(self) -> str:
        """The sentence in the active language, country names and dates localised."""
        from missions.eligibility.messages import render_message

        return render_message(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "source": str(self.basis.source),
            "legal_basis": self.basis.citation,
            "params": dict(self.params),
        }


def refusal(code: str, basis: Basis, **params: Any) -> Finding:
    return Finding(code, Severity.REFUSAL, basis, params)


def note(code: str, basis: Basis, **params: Any) -> Finding:
    return Finding(code, Severity.NOTE, basis, params)


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    findings: tuple[Finding, ...]
    rules_version: str
    evaluated_at: dt.datetime

    @property
    def refusals(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.REFUSAL]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.NOTE]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot, for the application's record of how it was judged."""
        return {
            "eligible": self.eligible,
            "rules_version": self.rules_version,
            "evaluated_at": self.evaluated_at.isoformat(),
            "findings": [f.as_dict() for f in self.findings],
        }
