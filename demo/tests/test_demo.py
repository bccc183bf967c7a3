import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from missions.languages import TRANSLATED_FIELDS
from missions.models import Mission, Partner, Programme
from missions.selectors import SEARCHABLE_FIELDS

pytestmark = pytest.mark.django_db

POSTING = (Path(__file__).resolve().parents[1] / "data" / "3S1284-posting.txt").read_text()
DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")

# Lines of the published page that are navigation, headings or key facts checked one by one.
NOT_SECTION_TEXT = {
    "Passer au contenu principal",
    "Publié le 01 oct. 25",
    "Localisation Afrique - Sénégal - Dakar",
    "France Volontaires",
    "Durée de la mission : 12 mois",
    "Début de la mission : janvier 2026",
    "Stage de préparation au départ : 3-7 novembre 2025",
    "Date limite de candidature : 12 octobre 2026",
    "Contexte de la mission",
    "Résumé de la mission",
    "Résultats attendus",
    "Nature de la mission",
    "Profil souhaité",
    "Formation & expérience",
    "Compétences recherchées",
    "Conditions du contrat",
    "Candidature & sélection",
    "Chargé·e de développement des coopérations au Sénégal",
    # The closing call to action of the job board, replaced by this site's own apply section.
    "Vous pouvez postuler à ce poste et à d'autres en utilisant votre CV en ligne. "
    "Cliquez sur le lien ci-dessous pour soumettre votre CV en ligne et envoyer votre "
    "candidature par e-mail à cette organisation.",
}


def section_text(mission: Mission) -> str:
    fields = (
        "important_notice", "context", "summary", "expected_results", "tasks",
        "profile_education", "profile_experience", "skills", "languages_note",
        "profile_other", "conditions", "selection",
    )  # fmt: skip
    return "\n".join(getattr(mission, name) for name in fields)


@pytest.fixture
def real_posting() -> Mission:
    call_command("demo")
    return Mission.objects.get(reference="3S1284")


def test_every_line_of_the_published_posting_is_in_a_section_of_3s1284(real_posting):
    text = section_text(real_posting)
    missing = []
    for line in POSTING.splitlines():
        line = line.strip().removeprefix("• ")
        if not line or line in NOT_SECTION_TEXT:
            continue
        for label in ("IMPORTANT : ", "Langues : ", "Autres : "):
            line = line.removeprefix(label)
        # The job board hid the address behind an e-mail protection placeholder.
        line = line.replace("[email\xa0protected]", "candidatures@france-volontaires.org")
        if line not in text:
            missing.append(line)
    assert missing == []


def test_key_facts_of_3s1284_are_those_published(real_posting):
    m = real_posting
    assert m.title == "Chargé·e de développement des coopérations au Sénégal"
    assert (m.region, m.host_country.code, m.city, m.time_zone) == (
        "Afrique",
        "SN",
        "Dakar",
        "Africa/Dakar",
    )
    assert m.organisation == "France Volontaires"
    assert m.volunteer_status == Mission.VolunteerStatus.VSI
    assert m.legal_basis.startswith("Décret n° 2022-1067 du 28 juillet 2022")
    assert m.duration_months == 12
    assert (m.start_date, m.start_month_only) == (dt.date(2026, 1, 1), True)
    assert (m.training_start, m.training_end) == (
        dt.date(2025, 11, 3),
        dt.date(2025, 11, 7),
    )
    assert m.published_on == dt.date(2025, 10, 1)
    assert m.deadline_date == dt.date(2026, 10, 12)
    assert m.deadline_at == dt.datetime(2026, 10, 13, tzinfo=DAKAR)
    assert m.contact_email == "candidatures@france-volontaires.org"
    assert m.application_subject == "3S1284 – Chargé·e de développement des coopérations au Sénégal"
    assert m.status == Mission.Status.PUBLISHED
    assert sorted(p.name for p in m.programmes.all()) == [
        "Milango Espace Francophonie",
        "V-Francophonie",
    ]
    assert sorted(p.name for p in m.partners.all()) == [
        "COMDEV Africa",
        "CRESS Mayotte",
        "ESS France Outre-mer",
    ]
    assert [c.code for c in m.excluded_nationalities] == ["SN"]
    assert [c.code for c in m.excluded_residences] == ["SN"]
    assert (m.min_experience_years, m.languages_required) == (5, {"fr": "C1", "en": "B2"})
    assert m.tasks.count("• ") == 8
    assert m.conditions.count("• ") == 6


def test_3s1284_shows_as_closed_today_with_its_content(client, real_posting, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC), tick=False)

    html = client.get("/missions/3S1284/").content.decode()

    assert "Chargé·e de développement des coopérations au Sénégal" in html
    assert "Coordination opérationnelle du partenariat" in html
    assert "janvier 2026" in html
    assert "du 3 novembre 2025 au 7 novembre 2025" in html
    assert "la date limite était le 12 octobre 2026." in html
    assert "Pouvez-vous postuler" not in html  # no eligibility check on a closed mission
    assert "application/ld+json" not in html


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (dt.datetime(2026, 10, 12, 23, 59, tzinfo=DAKAR), True),
        (dt.datetime(2026, 10, 13, 0, 1, tzinfo=DAKAR), False),
    ],
)
def test_3s1284_is_open_until_the_end_of_12_october_in_dakar(
    client, real_posting, time_machine, moment, is_open
):
    time_machine.move_to(moment, tick=False)

    html = client.get("/missions/3S1284/").content.decode()

    assert ("Postuler en ligne" in html) is is_open
    assert ("application/ld+json" in html) is is_open


def test_demo_loads_at_least_five_open_sample_missions_in_other_countries(real_posting):
    from django.utils import timezone

    samples = Mission.objects.open(timezone.now()).exclude(reference="3S1284")

    assert samples.count() >= 5
    assert "SN" not in {m.host_country.code for m in samples}


def test_running_demo_twice_changes_nothing_even_days_later(time_machine):
    call_command("demo")
    before = snapshot()
    time_machine.shift(dt.timedelta(days=3))

    call_command("demo")

    assert snapshot() == before


def snapshot() -> list[dict]:
    rows = [
        {**model_to_dict(m), "updated_at": m.updated_at, "deadline_at": m.deadline_at}
        for m in Mission.objects.order_by("reference")
    ]
    return [*rows, Programme.objects.count(), Partner.objects.count()]


def test_demo_reopens_sample_missions_once_their_deadline_has_passed(time_machine):
    from django.utils import timezone

    call_command("demo")
    time_machine.shift(dt.timedelta(days=120))
    assert not Mission.objects.open(timezone.now()).exclude(reference="3S1284").exists()

    call_command("demo")

    assert Mission.objects.open(timezone.now()).exclude(reference="3S1284").count() >= 5
    assert Mission.objects.get(reference="3S1284").deadline_date == dt.date(2026, 10, 12)


# Each heading of the published page, and the fields its text must be found in.
SECTIONS = {
    "Contexte de la mission": ("context",),
    "Résumé de la mission": ("summary",),
    "Résultats attendus": ("expected_results",),
    "Nature de la mission": ("tasks",),
    "Profil souhaité": ("important_notice",),
    "Formation & expérience": ("profile_education", "profile_experience"),
    "Compétences recherchées": ("skills", "languages_note", "profile_other"),
    "Conditions du contrat": ("important_notice", "conditions", "legal_basis"),
    "Candidature & sélection": ("important_notice", "selection"),
}


def test_each_section_of_the_posting_lands_in_its_own_field(real_posting):
    current, missing = None, []
    for line in POSTING.splitlines():
        line = line.strip().removeprefix("• ")
        if line in SECTIONS:
            current = line
            continue
        if current is None or not line:
            continue
        if line.startswith("Vous pouvez postuler à ce poste"):
            break
        for label in ("IMPORTANT : ", "Langues : ", "Autres : "):
            line = line.removeprefix(label)
        line = line.replace("[email\xa0protected]", "candidatures@france-volontaires.org")
        text = "\n".join(getattr(real_posting, name) for name in SECTIONS[current])
        if line not in text:
            missing.append((current, line[:60]))
    assert missing == []


def test_demo_has_a_reciprocity_vsi_hosted_in_france(real_posting):
    from django.utils import timezone

    from missions.eligibility import CandidateFacts, evaluate

    lyon = Mission.objects.prefetch_related("programmes").get(reference="3S1335")
    now = timezone.now()
    french = CandidateFacts(nationalities=frozenset({"FR"}), regular_residences=frozenset({"FR"}))
    togolese = CandidateFacts(nationalities=frozenset({"TG"}), regular_residences=frozenset({"TG"}))

    assert (lyon.direction, lyon.host_country.code, lyon.is_open(now)) == (
        "hosted_in_france",
        "FR",
        True,
    )
    assert lyon.publication_problems() == {}
    refused = evaluate(lyon.terms(), french, now)
    assert [(f.code, f.legal_basis) for f in refused.refusals] == [
        ("host_nationality", "Loi n° 2005-159 du 23 février 2005, art. 2"),
        ("host_residence", "Loi n° 2005-159 du 23 février 2005, art. 2"),
    ]
    welcome = evaluate(lyon.terms(), togolese, now)
    assert welcome.eligible
    assert {f.code for f in welcome.notes} >= {"reciprocity_visa", "reciprocity_return"}


def test_sample_missions_say_how_to_apply_here_and_3s1284_keeps_its_published_text(
    real_posting,
):
    samples = Mission.objects.exclude(reference="3S1284")
    by_mail = ("envoyez votre CV", "sont à envoyer à", "objet de votre mail")

    for mission in samples:
        text = " ".join(getattr(mission, name) for name in SEARCHABLE_FIELDS)
        assert not [words for words in by_mail if words in text], mission.reference
        assert "« Postuler en ligne »" in mission.selection, mission.reference
    assert "CV et lettre de motivation sont à envoyer à" in real_posting.selection


def test_sample_missions_are_written_in_english_too_and_3s1284_in_french_only(
    client, real_posting, time_machine
):
    time_machine.move_to(dt.datetime(2026, 10, 1, 12, 0, tzinfo=DAKAR), tick=False)
    samples = Mission.objects.exclude(reference="3S1284")

    for mission in samples:
        missing = [name for name in TRANSLATED_FIELDS if not in_english(mission, name)]
        assert not missing, f"{mission.reference}: {missing}"
        assert mission.selection_en.count("• ") == mission.selection_fr.count("• ")
    assert not [name for name in TRANSLATED_FIELDS if getattr(real_posting, f"{name}_en")]
    english = client.get("/en/missions/3S1284/").content.decode()
    assert '<h1 lang="fr">Chargé·e de développement des coopérations au Sénégal</h1>' in english
    assert english.count("Text available in French only.") >= 10  # the title, each section
    assert "Apply online" in english
    sample = client.get(f"/en/missions/{samples[0].reference}/").content.decode()
    assert f"<h1>{samples[0].title_en}</h1>" in sample
    assert "Text available in French only." not in sample


def in_english(mission: Mission, name: str) -> bool:
    """The field is written in English wherever it is written in French."""
    return bool(getattr(mission, f"{name}_en")) or not getattr(mission, f"{name}_fr")
