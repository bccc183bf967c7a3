import dataclasses
import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from missions.eligibility import (
    RULES_VERSION,
    CandidateFacts,
    MissionTerms,
    Severity,
    evaluate,
    publication_problems,
)
from missions.models import Mission

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")
BEFORE_DEADLINE = dt.datetime(2026, 10, 1, 12, 0, tzinfo=DAKAR)

# 3S1284 as published: VSI in Dakar, 12 months from January 2026, 5 years asked, French and English.
MISSION_3S1284 = MissionTerms(
    reference="3S1284",
    is_published=True,
    is_vsi=True,
    host_country="SN",
    time_zone="Africa/Dakar",
    duration_months=12,
    start_date=dt.date(2026, 1, 1),
    deadline_at=dt.datetime(2026, 10, 13, tzinfo=DAKAR),
    excluded_nationalities=frozenset({"SN"}),
    excluded_residences=frozenset({"SN"}),
    min_experience_years=5,
    languages_required={"fr": "C1", "en": "B2"},
)
MISSION_CAMBODIA = dataclasses.replace(
    MISSION_3S1284,
    reference="3S1307",
    host_country="KH",
    time_zone="Asia/Phnom_Penh",
    excluded_nationalities=frozenset({"KH"}),
    excluded_residences=frozenset({"KH"}),
)
FRENCH_IN_FRANCE = CandidateFacts(
    nationalities=frozenset({"FR"}),
    residence="FR",
    birth_date=dt.date(1995, 4, 2),
    vsi_months=0,
    professional_activity=False,
    experience_years=6,
    languages={"fr": "native", "en": "C1"},
)


def candidate(**changes) -> CandidateFacts:
    return dataclasses.replace(FRENCH_IN_FRANCE, **changes)


def codes(verdict, severity) -> set[str]:
    return {f.code for f in verdict.findings if f.severity == severity}


@pytest.mark.parametrize(
    ("case", "terms", "facts", "now", "eligible", "refusals", "notes"),
    [
        ("French national in France", MISSION_3S1284, FRENCH_IN_FRANCE, BEFORE_DEADLINE, True, set(), set()),
        ("Senegalese national", MISSION_3S1284, candidate(nationalities=frozenset({"SN"})), BEFORE_DEADLINE, False, {"host_nationality"}, set()),
        ("French–Senegalese dual national", MISSION_3S1284, candidate(nationalities=frozenset({"FR", "SN"})), BEFORE_DEADLINE, False, {"host_nationality"}, set()),
        ("French national resident in Dakar", MISSION_3S1284, candidate(residence="SN"), BEFORE_DEADLINE, False, {"host_residence"}, set()),
        ("Senegalese national, mission in Cambodia", MISSION_CAMBODIA, candidate(nationalities=frozenset({"SN"}), residence="SN"), BEFORE_DEADLINE, True, set(), set()),
        ("17-year-old", MISSION_3S1284, candidate(birth_date=dt.date(2009, 6, 1)), BEFORE_DEADLINE, False, {"under_age"}, set()),
        ("18 today, though 17 at the (past) start", MISSION_3S1284, candidate(birth_date=dt.date(2008, 10, 1)), BEFORE_DEADLINE, True, set(), set()),
        ("17 at a future start", dataclasses.replace(MISSION_3S1284, start_date=dt.date(2027, 1, 1)), candidate(birth_date=dt.date(2009, 1, 2)), BEFORE_DEADLINE, False, {"under_age"}, set()),
        ("18 on the day of a future start", dataclasses.replace(MISSION_3S1284, start_date=dt.date(2027, 1, 1)), candidate(birth_date=dt.date(2009, 1, 1)), BEFORE_DEADLINE, True, set(), set()),
        ("66 months done in all: within 6 months of the cap", MISSION_3S1284, candidate(vsi_months=54), BEFORE_DEADLINE, True, set(), {"near_cumulative_cap"}),
        ("3 years of experience on a 5-year mission", MISSION_3S1284, candidate(experience_years=3), BEFORE_DEADLINE, True, set(), {"experience_below"}),
        ("after the deadline", MISSION_3S1284, FRENCH_IN_FRANCE, dt.datetime(2026, 10, 13, 0, 1, tzinfo=DAKAR), False, {"deadline_passed"}, set()),
        ("66 months of VSI plus 12", MISSION_3S1284, candidate(vsi_months=66), BEFORE_DEADLINE, False, {"cumulative_cap"}, set()),
        ("60 months of VSI plus 12: at the cap", MISSION_3S1284, candidate(vsi_months=60), BEFORE_DEADLINE, True, set(), {"near_cumulative_cap"}),
        ("a declared professional activity", MISSION_3S1284, candidate(professional_activity=True), BEFORE_DEADLINE, True, set(), {"professional_activity"}),
        ("English below the level asked", MISSION_3S1284, candidate(languages={"fr": "native", "en": "A2"}), BEFORE_DEADLINE, True, set(), {"language_below"}),
        ("English not declared", MISSION_3S1284, candidate(languages={"fr": "native"}), BEFORE_DEADLINE, True, set(), {"language_missing"}),
        ("lived in Senegal before", MISSION_3S1284, candidate(previous_residences=frozenset({"SN"})), BEFORE_DEADLINE, True, set(), {"past_residence"}),
        ("mission not published", dataclasses.replace(MISSION_3S1284, is_published=False), FRENCH_IN_FRANCE, BEFORE_DEADLINE, False, {"mission_not_published"}, set()),
        ("programme reserved to other nationalities", dataclasses.replace(MISSION_3S1284, admitted_nationalities=frozenset({"BJ", "TG"})), FRENCH_IN_FRANCE, BEFORE_DEADLINE, False, {"nationality_not_admitted"}, set()),
        ("programme age bound", dataclasses.replace(MISSION_3S1284, max_age=25), FRENCH_IN_FRANCE, BEFORE_DEADLINE, False, {"over_age"}, set()),
        ("anonymous answers only", MISSION_3S1284, CandidateFacts(nationalities=frozenset({"FR"}), residence="FR"), BEFORE_DEADLINE, True, set(), set()),
    ],
)  # fmt: skip
def test_eligibility_table(case, terms, facts, now, eligible, refusals, notes):
    verdict = evaluate(terms, facts, now)

    assert verdict.eligible is eligible, case
    assert codes(verdict, Severity.REFUSAL) == refusals, case
    assert codes(verdict, Severity.NOTE) == notes, case
    assert verdict.rules_version == RULES_VERSION


def test_a_30_month_vsi_mission_cannot_be_published():
    assert publication_problems(is_vsi=True, duration_months=30) != []
    assert publication_problems(is_vsi=True, duration_months=24) == []
    assert publication_problems(is_vsi=False, duration_months=30) == []


def test_the_senegalese_refusal_says_plainly_why_in_french_and_english():
    verdict = evaluate(MISSION_3S1284, candidate(nationalities=frozenset({"SN"})), BEFORE_DEADLINE)
    (finding,) = verdict.refusals

    with translation.override("fr"):
        assert (
            "ne peut pas accomplir de mission dans un État dont il ou elle est ressortissant"
            in finding.message
        )
        assert "Sénégal" in finding.message
    with translation.override("en"):
        assert (
            "may not serve in a country of which they are a national or a regular resident"
            in finding.message
        )
        assert "Senegal" in finding.message
    assert finding.legal_basis == "Loi n° 2005-159 du 23 février 2005, art. 1"


def test_findings_name_rule_and_basis_and_snapshot_as_json():
    verdict = evaluate(MISSION_3S1284, candidate(experience_years=3), BEFORE_DEADLINE)

    snapshot = verdict.as_dict()

    assert snapshot["eligible"] is True
    assert snapshot["rules_version"] == RULES_VERSION
    assert snapshot["findings"] == [
        {"code": "experience_below", "severity": "note", "legal_basis": "Règles de candidature de la mission", "params": {"years": 3, "required": 5}}
    ]  # fmt: skip
    with translation.override("fr"):
        assert verdict.notes[0].message == "3 ans d'expérience sur 5 demandés."


countries = st.sampled_from(["SN", "FR", "KH", "BJ", "TG", "MG", "MA", "VU", "CA", "BE"])


@given(
    host=countries,
    nationalities=st.frozensets(countries, min_size=1, max_size=3),
    residence=countries,
    data=st.data(),
)
def test_host_country_among_nationalities_or_residence_is_always_refused(
    host, nationalities, residence, data
):
    # Force the host country into the nationalities or the residence.
    if data.draw(st.booleans()):
        nationalities = nationalities | {host}
    else:
        residence = host
    terms = dataclasses.replace(
        MISSION_3S1284,
        host_country=host,
        excluded_nationalities=frozenset({host}),
        excluded_residences=frozenset({host}),
    )
    facts = candidate(nationalities=nationalities, residence=residence)

    verdict = evaluate(terms, facts, BEFORE_DEADLINE)

    assert not verdict.eligible
    assert codes(verdict, Severity.REFUSAL) & {"host_nationality", "host_residence"}


@given(
    host=countries,
    nationalities=st.frozensets(countries, min_size=1, max_size=3),
    residence=countries,
)
def test_without_the_host_country_nationality_and_residence_rules_never_refuse(
    host, nationalities, residence
):
    terms = dataclasses.replace(
        MISSION_3S1284,
        host_country=host,
        excluded_nationalities=frozenset({host}),
        excluded_residences=frozenset({host}),
    )
    facts = candidate(
        nationalities=nationalities - {host} or frozenset({"ZZ"}), residence=residence
    )

    verdict = evaluate(terms, facts, BEFORE_DEADLINE)

    assert (residence == host) is (not verdict.eligible)


@pytest.mark.django_db
def test_terms_come_from_the_mission_and_its_programme():
    call_command("demo")
    mission = Mission.objects.prefetch_related("programmes").get(reference="3S1284")
    programme = mission.programmes.get(slug="v-francophonie")
    programme.min_age, programme.max_age, programme.admitted_nationalities = 21, 35, ["FR", "BE"]
    programme.save()

    terms = Mission.objects.prefetch_related("programmes").get(reference="3S1284").terms()

    assert terms.excluded_nationalities == frozenset({"SN"})
    assert (terms.min_age, terms.max_age) == (21, 35)
    assert terms.admitted_nationalities == frozenset({"FR", "BE"})
    assert terms.deadline_at == dt.datetime(2026, 10, 13, tzinfo=DAKAR)
    assert terms.languages_required == {"fr": "C1", "en": "B2"}


def test_someone_born_on_29_february_comes_of_age_on_1_march():
    from missions.eligibility import age_on

    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18
    assert age_on(dt.date(2008, 2, 29), dt.date(2028, 2, 29)) == 20
