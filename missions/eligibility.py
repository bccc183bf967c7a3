"""Who may apply to a mission: a pure function of (mission terms, candidate facts, now).

The same ``evaluate`` serves the mission page, the anonymous two-question check,
the submission (enforced on the server) and the admin. It reads no database:
``MissionTerms.from_mission`` gathers what it needs beforehand, and
``CandidateFacts`` (``core.candidates``) are plain values (the volunteer profile builds them).

Refusals stop a candidate; notes are for staff only. A rule whose fact is
unknown (an anonymous visitor gives no date of birth) is simply not checked.
Legal basis: loi n° 2005-159 du 23 février 2005 relative au contrat de
volontariat de solidarité internationale (art. 1, 2 and 4).
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.candidates import CandidateFacts
from core.countries import country_name
from core.dates import long_date

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from missions.models import Mission, Programme

RULES_VERSION = "2026.11-1"
ADULT_AGE = 18
VSI_MAX_MISSION_MONTHS = 24  # loi 2005-159, art. 4: one contract lasts at most two years
VSI_CUMULATIVE_CAP_MONTHS = 72  # loi 2005-159, art. 4: six years in all
NEAR_CAP_MARGIN_MONTHS = 6
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

LAW = "Loi n° 2005-159 du 23 février 2005"
ART_1 = f"{LAW}, art. 1"
ART_2 = f"{LAW}, art. 2"
ART_4 = f"{LAW}, art. 4"
# Stored as written here (French) in snapshots; shown through gettext in each language.
PLATFORM = gettext_noop("Règles de candidature de la mission")
PROGRAMME = gettext_noop("Règles du programme")


class Severity(enum.StrEnum):
    REFUSAL = "refusal"
    NOTE = "note"


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
class MissionTerms:
    """The mission and programme parameters the rules read."""

    reference: str
    is_published: bool
    is_vsi: bool
    host_country: str
    time_zone: str
    duration_months: int
    start_date: dt.date
    deadline_at: dt.datetime
    excluded_nationalities: frozenset[str]
    excluded_residences: frozenset[str]
    admitted_nationalities: frozenset[str] = frozenset()  # empty: every nationality
    min_age: int = ADULT_AGE
    max_age: int | None = None
    min_experience_years: int = 0
    languages_required: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_mission(
        cls, mission: Mission, programmes: Iterable[ProgrammeTerms] | None = None
    ) -> MissionTerms:
        """Gather the mission's and its programmes' parameters: the programmes' terms given,
        or its own programmes' (prefetch ``programmes``)."""
        if programmes is None:
            programmes = [ProgrammeTerms.from_programme(p) for p in mission.programmes.all()]
        programmes = list(programmes)
        admitted: set[str] = set()
        for programme in programmes:
            admitted |= programme.admitted_nationalities
        min_ages = [p.min_age for p in programmes if p.min_age is not None]
        max_ages = [p.max_age for p in programmes if p.max_age is not None]
        host = mission.host_country.code
        return cls(
            reference=mission.reference,
            is_published=mission.status == mission.Status.PUBLISHED,
            is_vsi=mission.volunteer_status == mission.VolunteerStatus.VSI,
            host_country=host,
            time_zone=mission.time_zone,
            duration_months=mission.duration_months,
            start_date=mission.start_date,
            deadline_at=mission.deadline_at,
            excluded_nationalities=frozenset(c.code for c in mission.excluded_nationalities)
            or frozenset({host}),
            excluded_residences=frozenset(c.code for c in mission.excluded_residences)
            or frozenset({host}),
            admitted_nationalities=frozenset(admitted),
            min_age=max([ADULT_AGE, mission.min_age, *min_ages]),
            max_age=min(max_ages) if max_ages else None,
            min_experience_years=mission.min_experience_years,
            languages_required=dict(mission.languages_required or {}),
        )


MESSAGES: dict[str, StrPromise] = {
    "mission_not_published": _("Cette mission n'est pas ouverte aux candidatures."),
    "deadline_passed": _("La date limite de candidature (%(deadline)s) est passée."),
    "host_nationality": _(
        "Un·e volontaire de solidarité internationale ne peut pas accomplir de mission dans "
        "un État dont il ou elle est ressortissant·e ou résident·e régulier·e. Vous avez la "
        "nationalité de ce pays (%(country)s) : vous ne pouvez pas postuler à cette mission."
    ),
    "nationality_not_admitted": _(
        "Le programme de cette mission est réservé à d'autres nationalités que la vôtre."
    ),
    "host_residence": _(
        "Un·e volontaire de solidarité internationale ne peut pas accomplir de mission dans "
        "un État dont il ou elle est ressortissant·e ou résident·e régulier·e. Vous résidez "
        "dans ce pays (%(country)s) : vous ne pouvez pas postuler à cette mission."
    ),
    "under_age": _(
        "Il faut avoir au moins %(min_age)s ans au début de la mission ; vous en aurez %(age)s."
    ),
    "over_age": _(
        "Le programme de cette mission est ouvert jusqu'à %(max_age)s ans au début de la "
        "mission ; vous en aurez %(age)s."
    ),
    "cumulative_cap": _(
        "La durée cumulée des missions de volontariat de solidarité internationale ne peut "
        "pas dépasser %(cap)s mois : %(done)s mois déjà effectués plus %(duration)s mois pour "
        "cette mission font %(total)s mois."
    ),
    "experience_below": _("%(years)s ans d'expérience sur %(required)s demandés."),
    "language_missing": _("Langue demandée non déclarée : %(language)s (niveau %(level)s)."),
    "language_below": _("Niveau déclaré en %(language)s : %(declared)s, pour %(level)s demandé."),
    "professional_activity": _(
        "Activité professionnelle en cours déclarée : le contrat de VSI exclut toute activité "
        "professionnelle pendant la mission."
    ),
    "past_residence": _("A résidé par le passé dans le pays d'accueil (%(country)s)."),
    "near_cumulative_cap": _(
        "Proche du plafond de %(cap)s mois de VSI cumulés : %(total)s mois avec cette mission."
    ),
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    legal_basis: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The sentence in the active language, country names and dates localised."""
        return render_message(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "legal_basis": self.legal_basis,
            "params": dict(self.params),
        }


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


def render_message(code: str, params: Mapping[str, Any]) -> str:
    shown = dict(params)
    if "country" in shown:
        shown["country"] = country_name(shown["country"], get_language()) or shown["country"]
    if "deadline" in shown:
        shown["deadline"] = long_date(dt.date.fromisoformat(shown["deadline"]))
    if "language" in shown:
        shown["language"] = language_name(shown["language"])
    for key in ("level", "declared"):
        if shown.get(key) == "native":
            shown[key] = str(_("langue maternelle"))
    return str(MESSAGES[code]) % shown


def language_name(code: str) -> str:
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on a day; someone born on 29 February has a birthday on 1 March."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


Rule = Callable[[MissionTerms, CandidateFacts, dt.datetime], Iterator[Finding]]


def refusal(code: str, basis: str, **params: Any) -> Finding:
    return Finding(code, Severity.REFUSAL, basis, params)


def note(code: str, basis: str, **params: Any) -> Finding:
    return Finding(code, Severity.NOTE, basis, params)


def check_published(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime
) -> Iterator[Finding]:
    if not terms.is_published:
        yield refusal("mission_not_published", PLATFORM)


def check_deadline(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime
) -> Iterator[Finding]:
    if now >= terms.deadline_at:
        last_day = terms.deadline_at.astimezone(zoneinfo.ZoneInfo(terms.time_zone)).date()
        last_day -= dt.timedelta(days=1)
        yield refusal("deadline_passed", PLATFORM, deadline=last_day.isoformat())


def check_nationality(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime
) -> Iterator[Finding]:
    # Any one of several nationalities is enough: dual nationals of the host country are refused.
    for country in sorted(facts.nationalities & terms.excluded_nationalities):
        yield refusal("host_nationality", ART_1, country=country)
    admitted = terms.admitted_nationalities
    if admitted and facts.nationalities and not facts.nationalities & admitted:
        yield refusal("nationality_not_admitted", PROGRAMME)


def check_residence(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime
) -> Iterator[Finding]:
    if facts.residence and facts.residence in terms.excluded_residences:
        yield refusal("host_residence", ART_1, country=facts.residence)
    elif terms.host_country in facts.previous_residences:
        yield note("past_residence", ART_1, country=terms.host_country)


def check_age(terms: MissionTerms, facts: CandidateFacts, now: dt.datetime) -> Iterator[Finding]:
    if facts.birth_date is None:
        return
    # The age when the mission starts, or today if that date has passed (3S1284 starts in
    # January and closes in October).
    today = now.astimezone(zoneinfo.ZoneInfo(terms.time_zone)).date()
    age = age_on(facts.birth_date, max(terms.start_date, today))
    if age < terms.min_age:
        basis = ART_1 if terms.min_age == ADULT_AGE else PROGRAMME
        yield refusal("under_age", basis, min_age=terms.min_age, age=age)
    if terms.max_age is not None and age > terms.max_age:
        yield refusal("over_age", PROGRAMME, max_age=terms.max_age, age=age)


def check_cumulative_cap(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime
) -> Iterator[Finding]:
    if not terms.is_vsi or facts.vsi_months is None:
        return
    total = facts.vsi_months + terms.duration_months
    params = {"cap": VSI_CUMULATIVE_CAP_MONTHS, "total": total}
    if total > VSI_CUMULATIVE_CAP_MONTHS:
        yield refusal(
            "cumulative_cap", ART_4, done=facts.vsi_months, duration=terms.duration_months, **params
        )
    elif total >= VSI_CUMULATIVE_CAP_MONTHS - NEAR_CAP_MARGIN_MONTHS:
        yield note("near_cumulative_cap", ART_4, **params)


def check_activity(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime
) -> Iterator[Finding]:
    if terms.is_vsi and facts.professional_activity:
        yield note("professional_activity", ART_2)


def check_experience(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime
) -> Iterator[Finding]:
    required = terms.min_experience_years
    if facts.experience_years is not None and facts.experience_years < required:
        yield note("experience_below", PLATFORM, years=facts.experience_years, required=required)


def check_languages(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime
) -> Iterator[Finding]:
    if not facts.languages:
        return  # not declared yet: nothing to compare
    for language, level in terms.languages_required.items():
        declared = facts.languages.get(language)
        if declared is None:
            yield note("language_missing", PLATFORM, language=language, level=level)
        elif CEFR_LEVELS.index(declared) < CEFR_LEVELS.index(level):
            yield note(
                "language_below", PLATFORM, language=language, level=level, declared=declared
            )


RULES: tuple[Rule, ...] = (
    check_published,
    check_deadline,
    check_nationality,
    check_residence,
    check_age,
    check_cumulative_cap,
    check_activity,
    check_experience,
    check_languages,
)


def evaluate(terms: MissionTerms, candidate: CandidateFacts, now: dt.datetime) -> Verdict:
    """Judge a candidate against a mission's terms at a given moment."""
    findings = tuple(finding for rule in RULES for finding in rule(terms, candidate, now))
    eligible = not any(f.severity == Severity.REFUSAL for f in findings)
    return Verdict(eligible, findings, RULES_VERSION, now)


def publication_problems(*, is_vsi: bool, duration_months: int) -> list[str]:
    """Why a mission may not be published, if anything (a VSI lasts at most 24 months)."""
    if is_vsi and duration_months > VSI_MAX_MISSION_MONTHS:
        message = _(
            "Une mission de VSI dure au plus %(max)s mois (loi n° 2005-159, art. 4) : "
            "réduisez la durée avant de publier."
        )
        return [str(message) % {"max": VSI_MAX_MISSION_MONTHS}]
    return []
