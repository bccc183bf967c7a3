"""The rules of each framework, table by table: who is refused or noted, by which rule, set by
whom (law, framework, programme, mission) and on which text."""

import dataclasses
import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from missions.eligibility import (
    MESSAGES,
    RULES_VERSION,
    CandidateFacts,
    KnockOut,
    MissionTerms,
    Severity,
    Source,
    age_on,
    evaluate,
)
from missions.eligibility import frameworks as fw
from missions.eligibility.findings import MISSION_RULES, PROGRAMME_RULES, UNCONFIRMED
from missions.models import Mission

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")
BEFORE_DEADLINE = dt.datetime(2026, 10, 1, 12, 0, tzinfo=DAKAR)

# 3S1284 as published: VSI in Dakar, 12 months from January 2026, 5 years asked, French and English.
MISSION_3S1284 = MissionTerms(
    reference="3S1284",
    is_published=True,
    framework="vsi",
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
CAMBODIA = dataclasses.replace(MISSION_3S1284, reference="3S1307", host_country="KH",
                               excluded_nationalities=frozenset(), excluded_residences=frozenset())  # fmt: skip
RECIPROCITY = dataclasses.replace(MISSION_3S1284, reference="3S1335", host_country="FR",
                                  direction="hosted_in_france", languages_required={"fr": "B2"},
                                  excluded_nationalities=frozenset(), excluded_residences=frozenset())  # fmt: skip
VIE_CANADA = dataclasses.replace(CAMBODIA, reference="VIE-01", framework="vie", host_country="CA")
CIVIQUE_DAKAR = dataclasses.replace(CAMBODIA, reference="SC-01", framework="service_civique",
                                    host_country="SN", min_age=16, min_experience_years=0)  # fmt: skip
FRENCH_IN_FRANCE = CandidateFacts(
    nationalities=frozenset({"FR"}),
    residence="FR",
    regular_residences=frozenset({"FR"}),
    birth_date=dt.date(1995, 4, 2),
    vsi_months=0,
    professional_activity=False,
    experience_years=6,
    languages={"fr": "native", "en": "C1"},
)
# The mission's own knock-out questions: a driving licence (yes/no) and transport (multiple).
LICENCE = KnockOut(question=7, label_fr="Avez-vous le permis B ?", label_en="Do you hold a driving licence?", kind="yes_no",
                   options=(("yes", "Oui", "Yes"), ("no", "Non", "No")), values=frozenset({"no"}), ask_before=True)  # fmt: skip
TRANSPORT = KnockOut(question=8, label_fr="Comment vous déplacez-vous ?", label_en="How do you travel?", kind="multiple",
                     options=(("moto", "Moto", "Motorbike"), ("none", "Aucun moyen", "No means")), values=frozenset({"none"}))  # fmt: skip
RURAL = dataclasses.replace(MISSION_3S1284, knockouts=(LICENCE, TRANSPORT))
SENEGALESE_IN_SENEGAL = dataclasses.replace(
    FRENCH_IN_FRANCE, nationalities=frozenset({"SN"}), residence="SN",
    regular_residences=frozenset({"SN"}),
)  # fmt: skip


def candidate(base: CandidateFacts = FRENCH_IN_FRANCE, **changes) -> CandidateFacts:
    return dataclasses.replace(base, **changes)


def aged(years: int, on: dt.date = dt.date(2026, 10, 1)) -> dt.date:
    """A birth date making someone ``years`` old (their birthday just passed) on a day."""
    return on.replace(year=on.year - years) - dt.timedelta(days=1)


def terms(base: MissionTerms, **changes) -> MissionTerms:
    return dataclasses.replace(base, **changes)


ART_1, ART_2, ART_4 = (f"Loi n° 2005-159 du 23 février 2005, art. {n}" for n in (1, 2, 4))
L120_1, L120_4 = (
    "Code du service national, art. L120-1, II",
    "Code du service national, art. L120-4",
)
LAW, FRAMEWORK, PROGRAMME, MISSION = Source.LAW, Source.FRAMEWORK, Source.PROGRAMME, Source.MISSION
R, N = Severity.REFUSAL, Severity.NOTE
CASES = {
    "vsi": [
        ("French national in France", MISSION_3S1284, FRENCH_IN_FRANCE, []),
        ("Senegalese national in Senegal", MISSION_3S1284, SENEGALESE_IN_SENEGAL, [("host_nationality", R, LAW, ART_2), ("host_residence", R, LAW, ART_2)]),
        ("Senegalese national, mission in Cambodia", CAMBODIA, SENEGALESE_IN_SENEGAL, []),
        ("French–Senegalese dual national", MISSION_3S1284, candidate(nationalities=frozenset({"FR", "SN"})), [("host_nationality", R, LAW, ART_2)]),
        ("French regular resident of Senegal", MISSION_3S1284, candidate(residence="SN", regular_residences=frozenset({"FR", "SN"})), [("host_residence", R, LAW, ART_2)]),
        ("French, living in Dakar, regular resident of France only", MISSION_3S1284, candidate(residence="SN"), [("residence_unclear", N, LAW, ART_2)]),
        ("living in Dakar, regular residence not asked yet", MISSION_3S1284, candidate(residence="SN", regular_residences=None), [("residence_unclear", N, LAW, ART_2)]),
        ("lived in Senegal before", MISSION_3S1284, candidate(previous_residences=frozenset({"SN"})), [("past_residence", N, LAW, ART_2)]),
        ("17 at the contract", terms(MISSION_3S1284, contract_date=dt.date(2026, 12, 1)), candidate(birth_date=aged(17, dt.date(2026, 12, 1))), [("under_age", R, LAW, ART_1)]),
        ("18 on the contract day, 17 at the start", terms(MISSION_3S1284, start_date=dt.date(2026, 11, 1), contract_date=dt.date(2026, 12, 1)), candidate(birth_date=dt.date(2008, 11, 30)), []),
        ("18 today, though 17 on a past contract day", MISSION_3S1284, candidate(birth_date=dt.date(2008, 9, 30)), []),
        ("20, the mission asks 21", terms(MISSION_3S1284, min_age=21), candidate(birth_date=aged(20)), [("under_age", R, MISSION, MISSION_RULES)]),
        ("20, the programme asks 21", terms(MISSION_3S1284, programme_min_age=21), candidate(birth_date=aged(20)), [("under_age", R, PROGRAMME, PROGRAMME_RULES)]),
        ("31, the programme stops at 30", terms(MISSION_3S1284, programme_max_age=30), candidate(birth_date=aged(31)), [("over_age", R, PROGRAMME, PROGRAMME_RULES)]),
        ("programme reserved to other nationalities", terms(MISSION_3S1284, admitted_nationalities=frozenset({"BJ", "TG"})), FRENCH_IN_FRANCE, [("nationality_not_admitted", R, PROGRAMME, PROGRAMME_RULES)]),
        ("a nationality the mission excludes", terms(MISSION_3S1284, excluded_nationalities=frozenset({"SN", "ML"})), candidate(nationalities=frozenset({"ML"})), [("mission_nationality", R, MISSION, MISSION_RULES)]),
        ("a residence the mission excludes", terms(MISSION_3S1284, excluded_residences=frozenset({"SN", "ML"})), candidate(residence="ML", regular_residences=frozenset({"ML"})), [("mission_residence", R, MISSION, MISSION_RULES)]),
        ("66 months of VSI plus 12", MISSION_3S1284, candidate(vsi_months=66), [("cumulative_cap", R, LAW, ART_4)]),
        ("60 months of VSI plus 12: at the cap", MISSION_3S1284, candidate(vsi_months=60), [("near_cumulative_cap", N, LAW, ART_4)]),
        ("past VSI months unknown", MISSION_3S1284, candidate(vsi_months=None), [("vsi_months_unknown", N, LAW, ART_4)]),
        ("a declared professional activity", MISSION_3S1284, candidate(professional_activity=True), [("professional_activity", N, LAW, ART_1)]),
        ("3 years of experience on a 5-year mission", MISSION_3S1284, candidate(experience_years=3), [("experience_below", N, MISSION, MISSION_RULES)]),
        ("English below the level asked", MISSION_3S1284, candidate(languages={"fr": "native", "en": "A2"}), [("language_below", N, MISSION, MISSION_RULES)]),
        ("English not declared", MISSION_3S1284, candidate(languages={"fr": "native"}), [("language_missing", N, MISSION, MISSION_RULES)]),
        ("no driving licence, the mission asks one", RURAL, candidate(answers={7: "no"}), [("knockout_answer", R, MISSION, MISSION_RULES)]),
        ("a driving licence", RURAL, candidate(answers={7: "yes", 8: ["moto"]}), []),
        ("no means of transport among several answers", RURAL, candidate(answers={7: "yes", 8: ["moto", "none"]}), [("knockout_answer", R, MISSION, MISSION_RULES)]),
        ("knock-out questions not answered yet", RURAL, FRENCH_IN_FRANCE, []),
        ("mission not published", terms(MISSION_3S1284, is_published=False), FRENCH_IN_FRANCE, [("mission_not_published", R, MISSION, MISSION_RULES)]),
        ("anonymous answers only", MISSION_3S1284, CandidateFacts(nationalities=frozenset({"FR"}), residence="FR", regular_residences=frozenset({"FR"}), vsi_months=0), []),
    ],
    "reciprocity": [
        ("French national", RECIPROCITY, FRENCH_IN_FRANCE, [("host_nationality", R, LAW, ART_2), ("host_residence", R, LAW, ART_2), ("reciprocity_return", N, FRAMEWORK, UNCONFIRMED)]),
        ("Senegalese regular resident of France", RECIPROCITY, candidate(SENEGALESE_IN_SENEGAL, residence="FR", regular_residences=frozenset({"FR", "SN"})), [("host_residence", R, LAW, ART_2), ("reciprocity_visa", N, LAW, fw.RECIPROCITY.citation), ("reciprocity_return", N, FRAMEWORK, UNCONFIRMED)]),
        ("Senegalese national in Senegal", RECIPROCITY, SENEGALESE_IN_SENEGAL, [("reciprocity_visa", N, LAW, fw.RECIPROCITY.citation), ("reciprocity_return", N, FRAMEWORK, UNCONFIRMED)]),
        ("Belgian national in Belgium: no visa", RECIPROCITY, candidate(nationalities=frozenset({"BE"}), residence="BE", regular_residences=frozenset({"BE"})), [("reciprocity_return", N, FRAMEWORK, UNCONFIRMED)]),
    ],
    "vie": [
        ("French national, 70 months of VSI: no VSI cap", VIE_CANADA, candidate(vsi_months=70, birth_date=aged(25)), []),
        ("French–Canadian in Canada: no host-State rule", VIE_CANADA, candidate(nationalities=frozenset({"FR", "CA"}), residence="CA", birth_date=aged(25)), []),
        ("Senegalese national", VIE_CANADA, candidate(SENEGALESE_IN_SENEGAL, birth_date=aged(25)), [("framework_nationality", R, FRAMEWORK, UNCONFIRMED)]),
        ("29 years old", VIE_CANADA, candidate(birth_date=aged(29)), [("over_age", R, FRAMEWORK, UNCONFIRMED)]),
        ("17 years old", VIE_CANADA, candidate(birth_date=aged(17)), [("under_age", R, FRAMEWORK, UNCONFIRMED)]),
    ],
    "service_civique": [
        ("French, 20", CIVIQUE_DAKAR, candidate(birth_date=aged(20)), []),
        ("15 years old", CIVIQUE_DAKAR, candidate(birth_date=aged(15)), [("under_age", R, LAW, L120_1)]),
        ("17 years old, abroad", CIVIQUE_DAKAR, candidate(birth_date=aged(17)), [("under_age", R, FRAMEWORK, UNCONFIRMED)]),
        ("27 years old", CIVIQUE_DAKAR, candidate(birth_date=aged(27)), [("age_extended_only", N, LAW, L120_1)]),
        ("31 years old", CIVIQUE_DAKAR, candidate(birth_date=aged(31)), [("over_age", R, LAW, L120_1)]),
        ("Senegalese national in Senegal", CIVIQUE_DAKAR, candidate(SENEGALESE_IN_SENEGAL, birth_date=aged(20)), [("service_civique_nationality", R, LAW, L120_4)]),
        ("Senegalese regular resident of France", CIVIQUE_DAKAR, candidate(SENEGALESE_IN_SENEGAL, birth_date=aged(20), regular_residences=frozenset({"FR"})), [("foreign_resident_france", N, LAW, L120_4)]),
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("case", "mission", "facts", "expected"),
    [case for cases in CASES.values() for case in cases],
    ids=[f"{name}: {case[0]}" for name, cases in CASES.items() for case in cases],
)
def test_each_rule_of_each_framework(case, mission, facts, expected):
    verdict = evaluate(mission, facts, BEFORE_DEADLINE)

    found = [(f.code, f.severity, f.source, f.legal_basis) for f in verdict.findings]
    assert sorted(found) == sorted(expected), case
    assert verdict.eligible is not any(severity == R for _, severity, _, _ in expected)
    assert verdict.rules_version == RULES_VERSION


def test_every_rule_of_every_framework_is_in_a_table():
    tabled = {code for cases in CASES.values() for *_, expected in cases for code, *_ in expected}

    assert tabled == set(MESSAGES) - {"deadline_passed"}  # after the deadline: the next test


def test_after_the_deadline_the_mission_refuses():
    after = dt.datetime(2026, 10, 13, 0, 1, tzinfo=DAKAR)

    (finding,) = evaluate(MISSION_3S1284, FRENCH_IN_FRANCE, after).findings

    assert (finding.code, finding.source) == ("deadline_passed", MISSION)
    with translation.override("fr"):
        assert finding.message == "La date limite de candidature (12 octobre 2026) est passée."
    with translation.override("en"):
        assert finding.message == "The application deadline (12 October 2026) has passed."


# Each finding in French and in English, with the words that carry its meaning.
WORDING = [
    (MISSION_3S1284, SENEGALESE_IN_SENEGAL, "host_nationality",
     "dans l'État dont il ou elle est ressortissant·e ou résident·e régulier·e. Vous avez la nationalité de ce pays (Sénégal)",
     "in the State of which they are a national or a regular resident. You hold this country's nationality (Senegal)"),
    (MISSION_3S1284, SENEGALESE_IN_SENEGAL, "host_residence",
     "Vous êtes résident·e régulier·e de ce pays (Sénégal)", "You are a regular resident of this country (Senegal)"),
    (MISSION_3S1284, candidate(residence="SN"), "residence_unclear",
     "sans s'y déclarer résident·e régulier·e", "without declaring themselves a regular resident"),
    (terms(MISSION_3S1284, contract_date=dt.date(2026, 12, 1)), candidate(birth_date=aged(17, dt.date(2026, 12, 1))), "under_age",
     "au moins 18 ans à la date prévue du contrat (1er décembre 2026) ; vous aurez alors 17 ans",
     "at least 18 on the expected date of the contract (1 December 2026); you will then be 17"),
    (VIE_CANADA, candidate(SENEGALESE_IN_SENEGAL, birth_date=aged(25)), "framework_nationality",
     "Ce dispositif (Volontariat international en entreprise (VIE)) est ouvert",
     "This framework (International corporate volunteering (VIE)) is open"),
    (CIVIQUE_DAKAR, candidate(SENEGALESE_IN_SENEGAL, birth_date=aged(20)), "service_civique_nationality",
     "qui résident en France depuis plus d'un an", "who have lived in France for more than a year"),
    (RECIPROCITY, SENEGALESE_IN_SENEGAL, "reciprocity_visa", "visa de long séjour", "long-stay visa"),
]  # fmt: skip


@pytest.mark.parametrize(("mission", "facts", "code", "french", "english"), WORDING)
def test_findings_read_in_french_and_english(mission, facts, code, french, english):
    (finding,) = [f for f in evaluate(mission, facts, BEFORE_DEADLINE).findings if f.code == code]

    with translation.override("fr"):
        assert french in finding.message
    with translation.override("en"):
        assert english in finding.message


@pytest.mark.parametrize(
    ("source", "french", "english"),
    [(LAW, "Loi", "Law"), (FRAMEWORK, "Dispositif", "Framework"),
     (PROGRAMME, "Programme", "Programme"), (MISSION, "Mission", "Mission")],
)  # fmt: skip
def test_who_set_the_rule_has_a_label_in_each_language(source, french, english):
    with translation.override("fr"):
        assert source.label == french
    with translation.override("en"):
        assert source.label == english
        assert "framework rule, to be confirmed" in translation.gettext(UNCONFIRMED).lower()


def test_findings_snapshot_as_json_with_their_source():
    verdict = evaluate(MISSION_3S1284, candidate(experience_years=3), BEFORE_DEADLINE)

    assert verdict.as_dict()["findings"] == [
        {"code": "experience_below", "severity": "note", "source": "mission",
         "legal_basis": "Règles de candidature de la mission", "params": {"years": 3, "required": 5}}
    ]  # fmt: skip


@override_settings(ELIGIBILITY_FRAMEWORK_SETTINGS={"vie": {"max_age": 30}})
def test_a_condition_to_confirm_is_a_setting():
    verdict = evaluate(VIE_CANADA, candidate(birth_date=aged(29)), BEFORE_DEADLINE)

    assert verdict.eligible


@override_settings(ELIGIBILITY_FRAMEWORK_SETTINGS={"vsi": {"min_age": 16}})
def test_a_condition_of_the_law_is_not_a_setting():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="only a condition"):
        evaluate(MISSION_3S1284, FRENCH_IN_FRANCE, BEFORE_DEADLINE)


countries = st.sampled_from(["SN", "FR", "KH", "BJ", "TG", "MG", "MA", "VU", "CA", "BE", "ML"])
country_sets = st.frozensets(countries, max_size=3)
missions = st.builds(
    lambda base, framework, host, excluded, admitted, min_age: terms(
        base, framework=framework, host_country=host, excluded_nationalities=excluded,
        admitted_nationalities=admitted, min_age=min_age,
    ),
    st.just(MISSION_3S1284), st.sampled_from(["vsi", "vie", "service_civique"]), countries,
    country_sets, country_sets, st.integers(16, 30),
)  # fmt: skip
candidates = st.builds(
    lambda nationalities, residence, regular, age, months: candidate(
        nationalities=nationalities, residence=residence, regular_residences=regular,
        birth_date=aged(age), vsi_months=months,
    ),
    st.frozensets(countries, min_size=1, max_size=3), countries, st.none() | country_sets,
    st.integers(14, 40), st.none() | st.integers(0, 80),
)  # fmt: skip


@given(mission=missions, facts=candidates)
def test_a_refusal_always_names_who_set_the_rule_and_its_basis(mission, facts):
    for finding in evaluate(mission, facts, BEFORE_DEADLINE).findings:
        assert finding.source in Source
        assert finding.legal_basis.strip()
        assert (finding.source == LAW) is finding.legal_basis.startswith(("Loi", "Code"))


# Rules that admit some nationalities: holding one more can open them.
ADMISSIONS = {"framework_nationality", "service_civique_nationality", "nationality_not_admitted"}


@given(mission=missions, facts=candidates, extra=countries)
def test_adding_a_nationality_never_turns_a_refusal_into_eligibility(mission, facts, extra):
    before = evaluate(mission, facts, BEFORE_DEADLINE)
    more = candidate(facts, nationalities=facts.nationalities | {extra})
    after = evaluate(mission, more, BEFORE_DEADLINE)

    kept = {f.code for f in before.refusals} - ADMISSIONS
    assert kept <= {f.code for f in after.refusals}
    if mission.framework == "vsi" and not mission.admitted_nationalities:
        assert before.eligible or not after.eligible


@given(host=countries, facts=candidates)
def test_a_vsi_never_takes_a_national_or_regular_resident_of_the_host_state(host, facts):
    verdict = evaluate(terms(MISSION_3S1284, host_country=host), facts, BEFORE_DEADLINE)

    regular = facts.regular_residences or frozenset()
    if host in facts.nationalities | regular:
        assert {"host_nationality", "host_residence"} & {f.code for f in verdict.refusals}


@pytest.mark.django_db
def test_terms_come_from_the_mission_and_its_programme():
    call_command("demo")
    mission = Mission.objects.prefetch_related("programmes").get(reference="3S1284")
    programme = mission.programmes.get(slug="v-francophonie")
    programme.min_age, programme.max_age, programme.admitted_nationalities = 21, 35, ["FR", "BE"]
    programme.save()

    found = Mission.objects.prefetch_related("programmes").get(reference="3S1284").terms()

    assert (found.framework, found.direction, found.contract_day) == (
        "vsi",
        "abroad",
        found.start_date,
    )
    assert found.excluded_nationalities == frozenset({"SN"})
    assert (found.min_age, found.programme_min_age, found.programme_max_age) == (18, 21, 35)
    assert found.admitted_nationalities == frozenset({"FR", "BE"})
    assert found.deadline_at == dt.datetime(2026, 10, 13, tzinfo=DAKAR)
    assert found.languages_required == {"fr": "C1", "en": "B2"}


def test_someone_born_on_29_february_comes_of_age_on_1_march():
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18
    assert age_on(dt.date(2008, 2, 29), dt.date(2028, 2, 29)) == 20


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Cette mission demande : « Avez-vous le permis B ? » Votre réponse, « Non », ne permet pas d'y postuler."),
        ("en", "This mission asks: “Do you hold a driving licence?” Your answer, “No”, does not allow you to apply."),
    ],
)  # fmt: skip
def test_a_knockout_refusal_speaks_with_the_missions_own_words(language, expected):
    verdict = evaluate(RURAL, candidate(answers={7: "no"}), BEFORE_DEADLINE)

    with translation.override(language):
        assert [finding.message for finding in verdict.refusals] == [expected]
    assert verdict.refusals[0].basis.citation == MISSION_RULES  # the mission's rule, never a law
