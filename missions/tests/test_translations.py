"""Missions in French and English (missions/languages.py): each field in the reader's
language or else in French with a note, the JSON-LD and the feed in one language each,
search in both, the admin's two columns, and the query counts unchanged."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions import cache as mission_cache
from missions.models import Mission
from missions.tests.factories import MissionFactory, ProgrammeFactory
from testing.clock import days
from volunteers.models import User

pytestmark = pytest.mark.django_db

NOTE_EN = "Text available in French only."
NOTE_FR = "Texte disponible en français uniquement."
ENGLISH = {
    "title_en": "Support officer for farming cooperatives",
    "region_en": "Africa",
    "city_en": "Cotonou",
    "summary_en": "Support to the mission's local partners.",
    "tasks_en": "• Visit the cooperatives\n• Train their treasurers",
    "profile_education_en": "A degree in agronomy.",
    "application_subject_en": "BIL1 – Support officer for farming cooperatives",
}


def bilingual(**fields) -> Mission:
    """A mission written in both languages, but for its context (French only)."""
    return MissionFactory(**{
        "reference": "BIL1", "title": "Chargé·e d'appui aux coopératives agricoles",
        "summary": "Appui aux partenaires locaux de la mission.",
        "tasks": "• Visiter les coopératives\n• Former leurs trésorier·es",
        "profile_education": "Diplôme d'agronomie.",
        "context": "Les coopératives du plateau d'Allada.",
        **ENGLISH, **fields,
    })  # fmt: skip


def structured_data(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD on the page"
    return json.loads(found.group(1))


def test_an_english_reader_reads_each_field_in_english_or_else_in_french_with_a_note(client):
    bilingual()

    html = client.get("/en/missions/BIL1/").content.decode()

    assert "<h1>Support officer for farming cooperatives</h1>" in html
    assert "<p>Support to the mission&#x27;s local partners.</p>" in html
    assert "<li>Train their treasurers</li>" in html
    # The context alone falls back: in French, marked so, under one note.
    assert html.count(NOTE_EN) == 1
    assert (
        f'{NOTE_EN}</p><div lang="fr"><p>Les coopératives du plateau d&#x27;Allada.</p></div>'
        in (html)
    )
    assert "Chargé·e d&#x27;appui" not in html.split("</head>")[1]


def test_a_french_reader_reads_the_french_text_without_a_note(client):
    bilingual()

    html = client.get("/missions/BIL1/").content.decode()

    assert "<h1>Chargé·e d&#x27;appui aux coopératives agricoles</h1>" in html
    assert "<li>Former leurs trésorier·es</li>" in html
    assert NOTE_FR not in html and NOTE_EN not in html
    assert "Support officer" not in html


def test_a_mission_published_in_french_only_says_so_under_each_field_in_english(client):
    mission = MissionFactory(
        reference="FRO1", title="Chargé·e de communication", region="Afrique", city="Lomé",
        summary="Appui à la communication.", tasks="• Écrire", context="Un contexte.",
    )  # fmt: skip
    assert mission.title_en is None

    html = client.get("/en/missions/FRO1/").content.decode()

    assert '<h1 lang="fr">Chargé·e de communication</h1>' in html
    assert html.count(NOTE_EN) == 4  # the title, the context, the summary, the tasks
    assert '<span lang="fr">Afrique</span>' in html and '<span lang="fr">Lomé</span>' in html
    assert "Apply online" in html  # the interface stays English


def test_the_english_catalogue_marks_a_title_read_in_french(client):
    bilingual()
    MissionFactory(reference="FRO1", title="Chargé·e de communication")

    english = client.get("/en/missions/").content.decode()
    french = client.get("/missions/").content.decode()

    assert '<h3 class="card-title h4"><a href="/en/missions/BIL1/">Support officer' in english
    assert (
        '<h3 class="card-title h4" lang="fr"><a href="/en/missions/FRO1/">Chargé·e de communication'
        in english
    )
    assert 'lang="fr"><a href' not in french  # the whole page is French


def test_the_json_ld_is_in_the_reader_s_language_when_the_mission_is_written_in_it(client):
    bilingual(context_en="The cooperatives of the Allada plateau.")

    english = structured_data(client.get("/en/missions/BIL1/").content.decode())
    french = structured_data(client.get("/missions/BIL1/").content.decode())

    assert english["inLanguage"] == "en"
    assert english["title"] == "Support officer for farming cooperatives"
    assert "<h2>Mission summary</h2>" in english["description"]
    assert english["educationRequirements"] == "A degree in agronomy."
    assert english["url"].endswith("/en/missions/BIL1/")
    assert english["eligibilityToWorkRequirement"].startswith("International solidarity")
    assert french["inLanguage"] == "fr"
    assert french["title"] == "Chargé·e d'appui aux coopératives agricoles"
    assert "<h2>Résumé de la mission</h2>" in french["description"]
    assert french["eligibilityToWorkRequirement"].startswith("Volontariat de solidarité")


def test_the_json_ld_of_a_partly_translated_mission_is_all_in_french(client):
    bilingual()  # its context is French only: one language for the whole document

    english = structured_data(client.get("/en/missions/BIL1/").content.decode())

    assert english["inLanguage"] == "fr"
    assert english["title"] == "Chargé·e d'appui aux coopératives agricoles"
    assert "<h2>Contexte de la mission</h2>" in english["description"]
    assert "Mission summary" not in english["description"]
    assert english["eligibilityToWorkRequirement"].startswith("Volontariat de solidarité")


def test_the_feed_is_in_each_language_with_its_language_named(client):
    bilingual()
    MissionFactory(reference="FRO1", title="Chargé·e de communication")

    english = client.get("/en/missions/feed/").content.decode()
    french = client.get("/missions/feed/").content.decode()

    assert 'xml:lang="en"' in english and 'xml:lang="fr"' in french
    assert "BIL1 – Support officer for farming cooperatives" in english
    assert "Support to the mission" in english
    assert "FRO1 – Chargé·e de communication" in english  # French only: read in French
    assert "BIL1 – Chargé·e d'appui aux coopératives agricoles" in french
    assert "Support officer" not in french


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("coopératives", ["BIL1"]),  # French
        ("treasurers", ["BIL1"]),  # English
        ("agronomie", ["BIL1"]),  # French, in the profile
        ("farming Allada", ["BIL1"]),  # one word of each language
        ("Benin", ["BIL1"]),  # the country's English name
        ("Bénin", ["BIL1"]),  # and its French one
        ("Lomé", ["LOM1"]),
        ("Chargé·e", ["BIL1", "LOM1"]),
        ("officer Lomé", []),
        ("elephant", []),
    ],
)
def test_the_catalogue_finds_a_mission_by_words_of_either_language(client, prefix, words, found):
    bilingual()
    MissionFactory(reference="LOM1", title="Chargé·e de communication", host_country="TG",
                   city="Lomé", summary="Communication.")  # fmt: skip

    response = client.get(f"{prefix}/missions/", {"q": words})

    cards = [card["facts"].split(" · ")[0] for card in response.context["cards"]]
    assert sorted(cards) == found


def english_removed() -> None:
    Mission.objects.update(**{column: None for column in ENGLISH})


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_translations_add_no_query_to_the_list_or_the_page(
    client, django_assert_num_queries, prefix
):
    for n in range(30):
        bilingual(reference=f"BIL{n}").programmes.add(ProgrammeFactory(slug="v-fr"))
    MissionFactory(reference="FRO1")

    def cold(url: str) -> int:
        cache.clear()
        mission_cache.forget_kept_pages()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    translated = {f"{prefix}/missions/": cold(f"{prefix}/missions/")}
    with django_assert_num_queries(1):  # the filters' lists and links kept; not this page
        warm = client.get(f"{prefix}/missions/", {"page": 2})
    translated[f"{prefix}/missions/BIL1/"] = cold(f"{prefix}/missions/BIL1/")
    with django_assert_num_queries(1):
        detail = client.get(f"{prefix}/missions/BIL2/")
    english_removed()
    french_only = {url: cold(url) for url in translated}

    assert translated == french_only
    # Nothing cached: the page, the filters' two lists (and the four of the links table)
    assert translated[f"{prefix}/missions/"] <= 3 + 4
    expected = "Support officer" if prefix else "Chargé·e d&#x27;appui"
    assert expected in warm.content.decode() and expected in detail.content.decode()


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser(email="staff@example.org", password="x"))
    return client


def test_staff_edit_both_languages_side_by_side(staff_client):
    mission = bilingual()
    url = reverse("admin:missions_mission_change", args=[mission.pk])

    html = staff_client.get(url).content.decode()

    for field in ("title", "region", "city", "summary", "tasks", "selection", "legal_basis"):
        row = re.search(rf'<div class="form-row field-{field}_fr field-{field}_en">', html)
        assert row, f"{field}: its two languages are not on one row"
        assert f'name="{field}_fr"' in html and f'name="{field}_en"' in html
    assert 'name="title"' not in html
    assert 'value="Support officer for farming cooperatives"' in html


def test_the_admin_lists_the_missions_lacking_english(staff_client):
    bilingual(context_en="The cooperatives of the Allada plateau.")
    bilingual(reference="BIL2")  # its context is French only
    MissionFactory(reference="FRO1")
    changelist = reverse("admin:missions_mission_changelist")

    missing = staff_client.get(changelist, {"english": "missing"}).context["cl"].result_list
    complete = staff_client.get(changelist, {"english": "complete"}).context["cl"].result_list

    assert sorted(m.reference for m in missing) == ["BIL2", "FRO1"]
    assert [m.reference for m in complete] == ["BIL1"]


def test_a_missing_english_title_is_a_note_not_a_finding(staff_client):
    french_only = MissionFactory(reference="FRO1")
    bilingual()
    changelist = reverse("admin:missions_mission_changelist")
    url = reverse("admin:missions_mission_change", args=[french_only.pk])

    page = staff_client.get(url).content.decode()
    issues = staff_client.get(changelist, {"quality": "issues"}).context["cl"].result_list
    listed = staff_client.get(changelist).content.decode()

    note = "Titre anglais manquant : la page anglaise montre le titre en français."
    assert f"<p class='help'>{note}</p>" in page
    assert list(issues) == []  # nothing to correct: a mission may be published in French
    assert "1 remarque" not in listed and "2 remarques" not in listed
    translated = staff_client.get(
        reverse("admin:missions_mission_change", args=[Mission.objects.get(reference="BIL1").pk])
    )
    assert note not in translated.content.decode()


def test_a_mission_is_published_with_french_alone(staff_client):
    mission = MissionFactory(reference="FRO1", status=Mission.Status.DRAFT)
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"status": "published", "title_fr": "Nouvelle mission", "title_en": "",
                 "programmes": [], "partners": [], "languages_required": "{}",
                 "excluded_nationalities": [], "excluded_residences": []})  # fmt: skip
    for prefix in ("own_questions", "question_links", "training_sessions"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = staff_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert response.context.get("adminform") is None, response.context["adminform"].form.errors
    mission.refresh_from_db()
    assert (mission.status, mission.title_fr, mission.title_en) == (
        "published", "Nouvelle mission", None,
    )  # fmt: skip
    messages = [str(m) for m in response.context["messages"]]
    assert "Titre anglais manquant : la page anglaise montre le titre en français." in messages
    english = staff_client.get("/en/missions/FRO1/").content.decode()
    assert '<h1 lang="fr">Nouvelle mission</h1>' in english


BEFORE = [("missions", "0012_tally_event_index")]
AFTER = [("missions", "0013_mission_translations")]


@pytest.mark.django_db(transaction=True)
def test_the_missions_written_so_far_become_their_french_text():
    MissionFactory(reference="OLD1", title="Titre d'avant", summary="Résumé d'avant",
                   city="Dakar", context="")  # fmt: skip
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)  # the language columns go; the text stays in the originals
        executor.loader.build_graph()
        executor.migrate(AFTER)

        old = (
            executor.loader.project_state(AFTER[0])
            .apps.get_model("missions", "Mission")
            .objects.get(reference="OLD1")
        )
        assert (old.title_fr, old.summary_fr, old.city_fr, old.context_fr) == (
            "Titre d'avant", "Résumé d'avant", "Dakar", "",
        )  # fmt: skip
        assert (old.title_en, old.summary_en) == (None, None)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_mission_saved_while_english_is_active_keeps_its_french_text():
    """Saving a mission read on an English page (another field changed) writes neither its
    French text over the English columns nor the reverse."""
    from django.utils import translation

    mission = MissionFactory(reference="FRO1", title="Titre", deadline_date=days(125))
    with translation.override("en"):
        mission = Mission.objects.get(pk=mission.pk)
        mission.deadline_date = days(155)
        mission.save()

    mission.refresh_from_db()
    assert (mission.title_fr, mission.title_en) == ("Titre", None)
    assert mission.deadline_date == days(155)


def test_a_field_in_a_sentence_is_escaped_and_marked_when_read_in_french():
    from django.template import Context, Template
    from django.utils import translation

    french_only = MissionFactory(reference="FRO1", title="Appui <ESS> & co", city="Lomé")
    translated = bilingual(reference="BIL1", title_en="Support <SSE> & co")
    template = Template(
        '{% load i18n missions %}{% mission_field m "title" as t %}'
        "{% blocktranslate with title=t %}Postuler : {{ title }}{% endblocktranslate %}"
    )

    def render(mission: Mission, language: str) -> str:
        with translation.override(language):
            return template.render(Context({"m": mission}))

    assert render(french_only, "en") == 'Apply: <span lang="fr">Appui &lt;ESS&gt; &amp; co</span>'
    assert render(translated, "en") == "Apply: Support &lt;SSE&gt; &amp; co"
    assert render(french_only, "fr") == "Postuler : Appui &lt;ESS&gt; &amp; co"
