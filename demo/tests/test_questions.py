"""The demo's questions: one of each kind across the sample missions, in both languages, a
conditional one, a knock-out asked before applying, a bank question several missions ask;
the sample applications answer them, and the coordinator's exports show the answers."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Answer, ApplicationDocument
from missions.models import MissionQuestion, Question
from testing.clock import days
from volunteers.models import User

pytestmark = pytest.mark.django_db

COORDINATOR = "coordination@demo.volontiers.invalid"
QUESTIONS_3S1329 = [
    "Avez-vous déjà vécu à l’étranger ?",
    "Dans quel pays ?",
    "À partir de quelle date êtes-vous disponible ?",
    "Votre langue de travail en plus du français, et votre niveau",
    "Attestation de formation aux premiers secours (PSC1 ou équivalent)",
    "Comment avez-vous connu cette mission ?",
]


@pytest.fixture
def demo():
    call_command("demo", stdout=io.StringIO())


def test_the_sample_missions_ask_questions_of_every_kind_in_french_and_english(demo):
    questions = Question.objects.filter(mission_links__isnull=False).distinct()

    assert {q.kind for q in questions} == set(Question.Kind.values)
    assert all(q.label_fr and q.label_en and q.label_fr != q.label_en for q in questions)
    assert questions.filter(required=True).exists() and questions.filter(required=False).exists()


def test_a_question_is_shown_only_to_those_who_lived_abroad(demo):
    country = Question.objects.get(label_fr="Dans quel pays ?")

    assert country.condition_question.label_fr == "Avez-vous déjà vécu à l’étranger ?"
    assert country.condition_values == ["yes"]


def test_the_mission_with_field_visits_by_car_asks_for_a_driving_licence_before_applying(demo):
    licence = Question.objects.get(label_fr="Avez-vous le permis B ?")

    assert (licence.mission.reference, licence.kind, licence.knockout_values) == (
        "3S1312",
        "yes_no",
        ["no"],
    )
    assert licence.ask_before_applying and licence.required


def test_a_question_of_the_programmes_bank_is_asked_by_several_missions(demo):
    heard = Question.objects.get(label_fr="Comment avez-vous connu cette mission ?")

    assert heard.programme.slug == "v-francophonie" and heard.mission is None
    missions = MissionQuestion.objects.filter(question=heard).values_list("mission__reference")
    assert sorted(reference for (reference,) in missions) == ["3S1301", "3S1312", "3S1329"]


def test_3s1284_asks_no_question_of_its_own(demo):
    assert not MissionQuestion.objects.filter(mission__reference="3S1284").exists()


def test_the_sent_applications_carry_their_answers_frozen_in_both_languages(demo):
    awa = Answer.objects.filter(application__volunteer__user__first_name="Awa")
    texts = {a.label_fr: (a.text_fr, a.text_en) for a in awa}

    assert texts["Avez-vous déjà vécu à l’étranger ?"] == ("Non", "No")
    assert "Dans quel pays ?" not in texts  # hidden by the answer "no"
    assert texts["Comment avez-vous connu cette mission ?"] == (
        "Un·e ancien·ne volontaire",
        "A former volunteer",
    )
    certificate = awa.get(kind=Question.Kind.FILE).document
    assert certificate.kind == ApplicationDocument.Kind.SUPPORTING
    with certificate.file.open("rb") as file:
        assert file.read(5) == b"%PDF-"


def shortlist_export(client, export_format):
    client.force_login(User.objects.get(email=COORDINATOR))
    response = client.get(reverse("coordination:export", args=["3S1329", export_format]))
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_demo_shortlist_csv_shows_the_answer_columns(client, demo):
    rows = list(csv.reader(io.StringIO(shortlist_export(client, "csv").decode("utf-8-sig"))))
    awa = next(row for row in rows if row[1] == "Ndiaye")

    assert rows[0][-6:] == QUESTIONS_3S1329
    assert awa[-6:] == [
        "Non", "", days(60).isoformat(), "anglais (C1)", "Attestation PSC1 Awa Ndiaye.pdf",
        "Un·e ancien·ne volontaire",
    ]  # fmt: skip


def test_the_demo_shortlist_xlsx_shows_the_answer_columns_with_real_dates(client, demo):
    sheet = openpyxl.load_workbook(io.BytesIO(shortlist_export(client, "xlsx"))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    koffi = next(row for row in rows if row[1] == "Mensah")

    assert rows[0][-6:] == QUESTIONS_3S1329
    assert koffi[-6:] == [
        "Oui", "Ghana", dt.datetime.combine(days(45), dt.time()), "anglais (B2)", None,
        "Le site de France Volontaires",
    ]  # fmt: skip
