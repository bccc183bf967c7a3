"""The answers to a mission's questions in the applications admin: on the page, as filters of
the mission's list, in the search; and the questions' preview in both languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from applications.models import ApplicationDocument
from applications.tests.factories import answered, submitted
from missions.models import QuestionKind, new_version
from missions.tests.factories import MissionFactory, QuestionFactory
from review.admin import answers
from review.roles import REVIEWERS
from review.tests.factories import staff
from review.tests.helpers import CHANGELIST, as_user

pytestmark = pytest.mark.django_db

LICENCE = {"label_fr": "Avez-vous le permis B ?", "label_en": "Do you hold a driving licence?"}
ROLES = [
    {"value": "teach", "fr": "Enseigner", "en": "Teach"},
    {"value": "build", "fr": "Construire", "en": "Build"},
]


@pytest.fixture
def reviewer(client):
    return as_user(client, staff(REVIEWERS, "rev@example.org"))


def page(application) -> str:
    return reverse("admin:applications_application_change", args=[application.pk])


# Each kind with an answer to it, for missions of many questions.
SAMPLES = [
    (QuestionKind.SHORT_TEXT, {}, "Dakar"),
    (QuestionKind.YES_NO, {}, "yes"),
    (QuestionKind.CHOICE, {"choices": ROLES}, "build"),
    (QuestionKind.MULTIPLE, {"choices": ROLES}, ["teach", "build"]),
    (QuestionKind.NUMBER, {}, 3),
]


def answered_mission(count: int, applications: int = 1):
    """A mission of ``count`` questions of every kind, answered in its applications."""
    mission = MissionFactory()
    questions = [
        QuestionFactory(mission=mission, kind=kind, **fields)
        for kind, fields, _value in (SAMPLES[i % len(SAMPLES)] for i in range(count))
    ]
    values = {q: SAMPLES[i % len(SAMPLES)][2] for i, q in enumerate(questions)}
    sent = [submitted(mission) for _ in range(applications)]
    for application in sent:
        answered(application, values)
    return mission, sent


def test_the_page_shows_the_answers_and_the_file_in_the_staff_members_language(reviewer):
    licence = QuestionFactory(**LICENCE)
    role = QuestionFactory(mission=licence.mission, kind=QuestionKind.CHOICE, choices=ROLES,
                           label_fr="Votre rôle ?", label_en="Your role?")  # fmt: skip
    proof = QuestionFactory(mission=licence.mission, kind=QuestionKind.FILE,
                            label_fr="Copie du permis", label_en="Copy of the licence")  # fmt: skip
    application = submitted(licence.mission)
    document = ApplicationDocument.objects.create(
        application=application, kind="supporting", file="x.pdf", original_name="permis.pdf",
        file_type="pdf", size=10,
    )  # fmt: skip
    answered(application, {licence: "yes", role: "teach", proof: None}, {proof: document})

    french = reviewer.get(page(application)).content.decode()
    with translation.override("en"):  # the admin is in French; the table follows the language
        english = answers.answers_table(application)

    assert '<th scope="row">Avez-vous le permis B ?</th><td>Oui</td>' in french
    assert '<th scope="row">Votre rôle ?</th><td>Enseigner</td>' in french
    assert f'<a href="{document.get_absolute_url()}">permis.pdf</a>' in french
    assert '<th scope="row">Do you hold a driving licence?</th><td>Yes</td>' in english
    assert '<th scope="row">Your role?</th><td>Teach</td>' in english


def detail_queries(client, application) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(application)).status_code == 200
    return len(queries)


def test_the_page_takes_as_many_queries_for_40_answers_as_for_10(reviewer):
    few = answered_mission(10)[1][0]
    many = answered_mission(40)[1][0]
    detail_queries(reviewer, few)  # the session's first reads

    assert detail_queries(reviewer, few) == detail_queries(reviewer, many)


@pytest.fixture
def choices_answered():
    """A mission asking a yes/no, a choice and a multiple choice, with two applications."""
    licence = QuestionFactory(**LICENCE)
    mission = licence.mission
    role = QuestionFactory(mission=mission, kind=QuestionKind.CHOICE, choices=ROLES,
                           label_fr="Votre rôle ?", label_en="Your role?")  # fmt: skip
    roles = QuestionFactory(mission=mission, kind=QuestionKind.MULTIPLE, choices=ROLES,
                            label_fr="Vos rôles ?", label_en="Your roles?")  # fmt: skip
    first, second = submitted(mission), submitted(mission)
    answered(first, {licence: "yes", role: "teach", roles: ["teach", "build"]})
    answered(second, {licence: "no", role: "build", roles: ["build"]})
    return mission, licence, role, roles


@pytest.mark.parametrize(
    ("which", "value", "shown", "hidden"),
    [(1, "yes", "-0001", "-0002"), (1, "no", "-0002", "-0001"), (2, "teach", "-0001", "-0002"),
     (2, "build", "-0002", "-0001"), (3, "teach", "-0001", "-0002")],
)  # fmt: skip
def test_a_missions_list_filters_on_its_yes_no_and_choice_answers(
    reviewer, choices_answered, which, value, shown, hidden
):
    mission, question = choices_answered[0], choices_answered[which]
    params = {"mission__id__exact": mission.pk, f"answer_{question.pk}": value}

    html = reviewer.get(CHANGELIST, params).content.decode()

    assert f"{mission.reference}{shown}" in html and f"{mission.reference}{hidden}" not in html


def test_the_answer_filters_are_offered_only_for_the_filtered_mission(reviewer, choices_answered):
    mission, licence, role, roles = choices_answered
    QuestionFactory(mission=mission, kind=QuestionKind.SHORT_TEXT, label_fr="Votre ville ?")

    everyone = reviewer.get(CHANGELIST).content.decode()
    filtered = reviewer.get(CHANGELIST, {"mission__id__exact": mission.pk}).content.decode()

    assert f"answer_{licence.pk}=" not in everyone
    assert all(f"?answer_{q.pk}=" in filtered or f"&amp;answer_{q.pk}=" in filtered
               for q in (licence, role, roles))  # fmt: skip
    assert "Votre ville ?" not in filtered and "Avez-vous le permis B ?" in filtered


def test_choosing_another_mission_drops_the_filters_on_answers(reviewer, choices_answered):
    mission, licence = choices_answered[:2]
    other = MissionFactory()
    submitted(other)

    html = reviewer.get(CHANGELIST, {"mission__id__exact": mission.pk,
                                     f"answer_{licence.pk}": "yes"}).content.decode()  # fmt: skip

    mission_filter = html.split('data-filter-title="mission"')[1].split("</details>")[0]
    assert f'href="?mission__id__exact={other.pk}"' in mission_filter
    assert f"answer_{licence.pk}" not in mission_filter  # neither its links nor its search box


def test_a_filter_counts_the_answers_given_to_earlier_versions(reviewer, choices_answered):
    mission, licence = choices_answered[:2]
    fresh = new_version(licence, {"label_fr": "Avez-vous le permis B depuis un an ?"})

    html = reviewer.get(CHANGELIST, {"mission__id__exact": mission.pk,
                                     f"answer_{fresh.pk}": "yes"}).content.decode()  # fmt: skip

    assert f"{mission.reference}-0001" in html and f"{mission.reference}-0002" not in html


def test_the_search_finds_text_answers_once_each(reviewer):
    city = QuestionFactory(kind=QuestionKind.SHORT_TEXT, label_fr="Ville ?", label_en="City?")
    plan = QuestionFactory(mission=city.mission, kind=QuestionKind.LONG_TEXT,
                           label_fr="Projet ?", label_en="Plan?")  # fmt: skip
    found, other = submitted(city.mission), submitted(city.mission)
    answered(found, {city: "Ziguinchor", plan: "Former des maraîchers à Ziguinchor."})
    answered(other, {city: "Dakar", plan: "Enseigner."})

    html = reviewer.get(CHANGELIST, {"q": "ziguinchor"}).content.decode()

    assert html.count(f"{city.mission.reference}-0001</a>") == 1
    assert f"{city.mission.reference}-0002" not in html


def test_the_search_still_finds_candidates_by_name(reviewer, application):
    html = reviewer.get(CHANGELIST, {"q": "ndiaye"}).content.decode()

    assert "ADM1-0001" in html


def changelist_queries(client, mission) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST, {"mission__id__exact": mission.pk}).status_code == 200
    return len(queries)


def test_a_missions_list_takes_as_many_queries_for_40_questions_as_for_10(reviewer):
    few = answered_mission(10, applications=3)[0]
    many = answered_mission(40, applications=3)[0]
    reviewer.get(CHANGELIST)  # the filters' country and mission lists are cached after this

    assert changelist_queries(reviewer, few) == changelist_queries(reviewer, many)


def test_the_preview_shows_the_questions_in_french_and_english_disabled(reviewer):
    licence = QuestionFactory(**LICENCE, knockout_values=["no"], required=True)
    QuestionFactory(mission=licence.mission, kind=QuestionKind.MULTIPLE, choices=ROLES,
                    label_fr="Vos rôles ?", label_en="Your roles?",
                    condition_question=licence, condition_values=["yes"])  # fmt: skip
    url = reverse("admin:missions_mission_questions_preview", args=[licence.mission.pk])

    html = reviewer.get(url).content.decode()

    french, english = html.split('<section lang="fr"')[1].split('<section lang="en"')
    assert "Avez-vous le permis B ?" in french and "Enseigner" in french
    assert "Do you hold a driving licence?" in english and "Teach" in english
    assert "Réponse éliminatoire : Non" in french
    assert "Affichée seulement si « Avez-vous le permis B ? » : Oui" in french
    assert "Do you hold a driving licence?" not in french and "Enseigner" not in english
    assert 'id="fr-q' in french and 'id="en-q' in english
    assert html.count(" disabled") >= 2 * (2 + 2)  # yes and no, two roles, in each language


def test_the_mission_page_links_to_the_preview(client):
    from volunteers.models import User

    client.force_login(User.objects.create_superuser(email="admin@example.org", password="x"))
    mission = MissionFactory()

    html = client.get(reverse("admin:missions_mission_change", args=[mission.pk])).content
    url = reverse("admin:missions_mission_questions_preview", args=[mission.pk])

    assert f'<a href="{url}">Aperçu du formulaire en français et en anglais</a>' in html.decode()
