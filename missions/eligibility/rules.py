"""The rules, one function each, and the rule set of each framework.

A rule reads the mission's terms, the candidate's facts, the moment and the framework's
conditions, and yields findings. A rule whose fact is unknown (an anonymous visitor gives no
date of birth) is not checked, or leaves a note for staff when the law needs the fact.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterator

from core.candidates import CandidateFacts
from core.countries import EU_EEA
from missions.eligibility import frameworks as fw
from missions.eligibility.findings import (
    MISSION,
    PROGRAMME,
    RULES_VERSION,
    Basis,
    Finding,
    Severity,
    Verdict,
    note,
    refusal,
)
from missions.eligibility.frameworks import Framework
from missions.eligibility.terms import CEFR_LEVELS, MissionTerms

Rule = Callable[[MissionTerms, CandidateFacts, dt.datetime, Framework], Iterator[Finding]]


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on a day; someone born on 29 February has a birthday on 1 March."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def check_published(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    if not terms.is_published:
        yield refusal("mission_not_published", MISSION)


def check_deadline(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    if now >= terms.deadline_at:
        last_day = terms.deadline_at.astimezone(zoneinfo.ZoneInfo(terms.time_zone)).date()
        last_day -= dt.timedelta(days=1)
        yield refusal("deadline_passed", MISSION, deadline=last_day.isoformat())


def check_host_state(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    """VSI, art. 2: no mission in the State of which one is a national or a regular resident.
    Living there without being a regular resident is a case for staff, not a refusal."""
    host = terms.host_country
    if host in facts.nationalities:  # any one of several nationalities
        yield refusal("host_nationality", fw.VSI_ART_2, country=host)
    regular = facts.regular_residences
    if regular is not None and host in regular:
        yield refusal("host_residence", fw.VSI_ART_2, country=host)
    elif facts.residence == host and host not in facts.nationalities:
        yield note("residence_unclear", fw.VSI_ART_2, country=host)
    elif host in facts.previous_residences:
        yield note("past_residence", fw.VSI_ART_2, country=host)


def check_framework_nationality(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    admitted = framework.nationalities
    if admitted and facts.nationalities and not facts.nationalities & admitted:
        yield refusal(
            "framework_nationality", framework.nationalities_basis, framework=framework.code
        )


def check_service_civique_nationality(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    """Art. L120-4: EU or EEA nationals, or foreigners living in France for over a year."""
    if not facts.nationalities or facts.nationalities & framework.nationalities:
        return
    if facts.regular_residences is not None and "FR" in facts.regular_residences:
        yield note("foreign_resident_france", framework.nationalities_basis)
    else:
        yield refusal("service_civique_nationality", framework.nationalities_basis)


def check_mission_exclusions(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    """The mission's own exclusions, beyond the host State a VSI's law already excludes."""
    covered = {terms.host_country} if terms.is_vsi else set()
    for country in sorted(facts.nationalities & terms.excluded_nationalities - covered):
        yield refusal("mission_nationality", MISSION, country=country)
    residences = (facts.regular_residences or frozenset()) | {facts.residence or ""}
    for country in sorted(residences & terms.excluded_residences - covered):
        yield refusal("mission_residence", MISSION, country=country)


def check_programme_nationality(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    admitted = terms.admitted_nationalities
    if admitted and facts.nationalities and not facts.nationalities & admitted:
        yield refusal("nationality_not_admitted", PROGRAMME)


def check_age(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    """Ages at the contract (or today, once that day has passed): the law's or framework's
    bounds first, then the programme's, then the mission's; the first one missed is said."""
    if facts.birth_date is None:
        return
    today = now.astimezone(zoneinfo.ZoneInfo(terms.time_zone)).date()
    day = max(terms.contract_day, today)
    age = age_on(facts.birth_date, day)
    at = {"age": age, "date": day.isoformat()}
    lower: list[tuple[int | None, Basis]] = [(b.value, b.basis) for b in framework.min_ages]
    lower += [(terms.programme_min_age, PROGRAMME), (terms.min_age, MISSION)]
    for value, basis in lower:
        if value is not None and age < value:
            yield refusal("under_age", basis, min_age=value, **at)
            break
    top = framework.max_age
    if top is not None and age > top.value:
        extended = framework.max_age_extended
        if extended is not None and age <= extended:
            yield note("age_extended_only", top.basis, max_age=top.value, extended=extended, **at)
        else:
            yield refusal("over_age", top.basis, max_age=top.value, **at)
    elif terms.programme_max_age is not None and age > terms.programme_max_age:
        yield refusal("over_age", PROGRAMME, max_age=terms.programme_max_age, **at)


def check_cumulative_cap(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    """VSI, art. 4: six years of missions in all."""
    cap = fw.VSI_CUMULATIVE_CAP_MONTHS
    if facts.vsi_months is None:
        yield note("vsi_months_unknown", fw.VSI_ART_4, cap=cap)
        return
    total = facts.vsi_months + terms.duration_months
    if total > cap:
        done, duration = facts.vsi_months, terms.duration_months
        yield refusal(
            "cumulative_cap", fw.VSI_ART_4, cap=cap, total=total, done=done, duration=duration
        )
    elif total >= cap - fw.NEAR_CAP_MARGIN_MONTHS:
        yield note("near_cumulative_cap", fw.VSI_ART_4, cap=cap, total=total)


def check_activity(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    """VSI, art. 1: the contract excludes any professional activity (to stop, not a bar)."""
    if facts.professional_activity:
        yield note("professional_activity", fw.VSI_ART_1)


def check_reciprocity(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    """A volunteer hosted in France: the visa (named in the contract), and the return."""
    if terms.direction != fw.HOSTED_IN_FRANCE:
        return
    if facts.nationalities and not facts.nationalities & (EU_EEA | {"CH"}):
        yield note("reciprocity_visa", fw.RECIPROCITY)
    yield note("reciprocity_return", fw.TO_CONFIRM)


def check_experience(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    required = terms.min_experience_years
    if facts.experience_years is not None and facts.experience_years < required:
        yield note("experience_below", MISSION, years=facts.experience_years, required=required)


def check_languages(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    if not facts.languages:
        return  # not declared yet: nothing to compare
    for language, level in terms.languages_required.items():
        declared = facts.languages.get(language)
        if declared is None:
            yield note("language_missing", MISSION, language=language, level=level)
        elif CEFR_LEVELS.index(declared) < CEFR_LEVELS.index(level):
            yield note("language_below", MISSION, language=language, level=level, declared=declared)


def check_knockouts(
    terms: MissionTerms, facts: CandidateFacts, now: dt.datetime, framework: Framework
) -> Iterator[Finding]:
    """The mission's own knock-out questions: an answer it marked stops the candidate, said
    with the mission's own wording (a rule of the mission, never of the law). A question not
    answered yet stops no one."""
    for knockout in terms.knockouts:
        answer = facts.answers.get(knockout.question)
        given = answer if isinstance(answer, list) else [answer]
        hits = [value for value in given if value in knockout.values]
        if hits:
            labels = [knockout.option_labels(value) for value in hits]
            yield refusal(
                "knockout_answer",
                MISSION,
                question=knockout.question,
                label_fr=knockout.label_fr,
                label_en=knockout.label_en,
                answer_fr=", ".join(label for label, _ in labels),
                answer_en=", ".join(label for _, label in labels),
            )


OPENING: tuple[Rule, ...] = (check_published, check_deadline)
CLOSING: tuple[Rule, ...] = (
    check_knockouts,
    check_mission_exclusions,
    check_programme_nationality,
    check_age,
    check_experience,
    check_languages,
)
RULE_SETS: dict[str, tuple[Rule, ...]] = {
    fw.VSI: (
        *OPENING,
        check_host_state,
        *CLOSING,
        check_cumulative_cap,
        check_activity,
        check_reciprocity,
    ),
    fw.VIE: (*OPENING, check_framework_nationality, *CLOSING),
    fw.SERVICE_CIVIQUE: (*OPENING, check_service_civique_nationality, *CLOSING),
}


def evaluate(terms: MissionTerms, candidate: CandidateFacts, now: dt.datetime) -> Verdict:
    """Judge a candidate against a mission's terms, by its framework's rules, at a moment."""
    framework = fw.framework(terms.framework)
    findings = tuple(
        finding
        for rule in RULE_SETS[terms.framework]
        for finding in rule(terms, candidate, now, framework)
    )
    eligible = not any(f.severity == Severity.REFUSAL for f in findings)
    return Verdict(eligible, findings, RULES_VERSION, now)
