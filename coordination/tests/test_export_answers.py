"""The answers to a mission's questions in its exports: a column per question in CSV and XLSX,
the supporting files in the ZIP, read with a constant number of queries."""

import csv
import datetime as dt
import io
import zipfile
from functools import partial

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from applications.answers import answer_row, supporting_document_store
from applications.models import Stage
from applications.tests.factories import submitted
from coordination import exports
from coordination.tests.helpers import INJECTION, export
from missions.models import MissionQuestion, Question, new_version
from missions.tests.factories import MissionFactory, ProgrammeFactory, QuestionFactory
from review.roles import MANAGERS
from review.tests.factories import staff
from testing.clock import days
from testing.documents import pdf_bytes

pytestmark = pytest.mark.django_db

Kind = Question.Kind
# The columns before the questions' (``exports.header``).
FIXED = len(exports.WIDTHS)
WORKSHOPS = [
    {"value": "governance", "fr": "Gouvernance", "en": "Governance"},
    {"value": "finance", "fr": "Gestion financière", "en": "Financial management"},
    {"value": "marketing", "fr": "Communication", "en": "Communication"},
]
HEARD = [
    {"value": "site", "fr": "Site de France Volontaires", "en": "France Volontaires website"},
    {"value": "social", "fr": "Réseaux sociaux", "en": "Social media"},
]


@pytest.fixture
def questions(mission):
    """One question of each kind, created out of order; the bank's question is asked third."""
    ask = partial(QuestionFactory, mission=mission)
    made = {
        "file": ask(kind=Kind.FILE, label_fr="Attestation PSC1", label_en="First aid", order=10),
        "language": ask(kind=Kind.LANGUAGE, label_fr="Votre wolof", label_en="Your Wolof", order=9),
        "country": ask(kind=Kind.COUNTRY, label_fr="Dans quel pays ?", label_en="Where?", order=8),
        "date": ask(kind=Kind.DATE, label_fr="Disponible le", label_en="Available on", order=7),
        "multiple": ask(
            kind=Kind.MULTIPLE, label_fr="Ateliers", label_en="Workshops", choices=WORKSHOPS,
            order=6,
        ),
        "number": ask(kind=Kind.NUMBER, label_fr="Années en Afrique", label_en="Years", order=5),
        "yes_no": ask(kind=Kind.YES_NO, label_fr="Permis B ?", label_en="Licence?", order=4),
        "long_text": ask(kind=Kind.LONG_TEXT, label_fr="Un projet", label_en="A project", order=2),
        "short_text": ask(label_fr="Dernier poste", label_en="Last position", order=1),
    }  # fmt: skip
    bank = Question.objects.create(
        programme=ProgrammeFactory(), kind=Kind.CHOICE, choices=HEARD,
        label_fr="Comment avez-vous connu la mission ?", label_en="How did you hear of it?",
    )  # fmt: skip
    MissionQuestion.objects.create(mission=mission, question=bank, order=3)
    return {**made, "choice": bank}


def answered(application, answers):
    """Answers as submission freezes them: each with its question's labels and texts."""
    for position, (question, value) in enumerate(answers.items()):
        document = None
        if question.kind == Kind.FILE:
            upload = SimpleUploadedFile(value, pdf_bytes(), "application/pdf")
            document, value = supporting_document_store(application, question, upload), None
        answer_row(application, question, position, value, document).save()
    return application


@pytest.fixture
def answers(francoise, questions):
    q = questions
    return answered(
        francoise,
        {
            q["short_text"]: "Chargée de projets ESS",
            q["long_text"]: "Un incubateur à Thiès.",
            q["choice"]: "social",
            q["yes_no"]: "yes",
            q["number"]: 2.5,
            q["multiple"]: ["governance", "finance"],
            q["date"]: days(40).isoformat(),
            q["country"]: "SN",
            q["language"]: {"language": "wo", "level": "B1"},
            q["file"]: "attestation premiers secours.pdf",
        },
    )


def csv_rows(client, **params):
    return list(csv.reader(io.StringIO(export(client, "csv", **params)[1].decode("utf-8-sig"))))


def xlsx_rows(client):
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx")[1])).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_csv_has_a_column_per_question_in_the_missions_order_with_each_answer_as_text(
    client, coordinator, answers
):
    rows = csv_rows(client)

    assert rows[0][FIXED:] == [
        "Dernier poste", "Un projet", "Comment avez-vous connu la mission ?", "Permis B ?",
        "Années en Afrique", "Ateliers", "Disponible le", "Dans quel pays ?", "Votre wolof",
        "Attestation PSC1",
    ]  # fmt: skip
    assert rows[1][FIXED:] == [
        "Chargée de projets ESS", "Un incubateur à Thiès.", "Réseaux sociaux", "Oui", "2.5",
        "Gouvernance; Gestion financière", days(40).isoformat(), "Sénégal", "wolof (B1)",
        "attestation premiers secours.pdf",
    ]  # fmt: skip


def test_the_xlsx_has_numbers_as_numbers_and_dates_as_real_dates(client, coordinator, answers):
    rows = xlsx_rows(client)

    number, date = rows[1][FIXED + 4], rows[1][FIXED + 6]
    assert (number, date) == (2.5, dt.datetime.combine(days(40), dt.time()))
    assert rows[1][FIXED + 5] == "Gouvernance; Gestion financière"


def test_an_application_without_an_answer_has_empty_cells_for_the_questions(
    client, coordinator, answers, mission
):
    submitted(mission, stage=Stage.SHORTLISTED)

    assert csv_rows(client)[2][FIXED:] == [""] * 10
    assert xlsx_rows(client)[2][FIXED:] == [None] * 10


def test_an_answer_written_as_a_formula_stays_text_in_the_csv_and_the_xlsx(
    client, coordinator, questions, injector
):
    answered(injector, {questions["short_text"]: INJECTION})

    assert csv_rows(client)[1][FIXED] == "'" + INJECTION
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx")[1])).active
    cell = sheet.cell(row=2, column=FIXED + 1)
    assert (cell.value, cell.data_type) == (INJECTION, "s")


def test_the_english_export_has_the_english_labels_and_answers(client, coordinator, answers):
    with translation.override("en"):
        rows = csv_rows(client)

    assert rows[0][FIXED : FIXED + 4] == [
        "Last position", "A project", "How did you hear of it?", "Licence?",
    ]  # fmt: skip
    assert rows[1][FIXED + 2 : FIXED + 4] == ["Social media", "Yes"]


def test_the_zip_names_each_supporting_file_after_its_question(client, coordinator, answers):
    archive = zipfile.ZipFile(io.BytesIO(export(client, "zip")[1]))

    name = "EXP1-0001_LEFEVRE_Francoise_Attestation-PSC1_attestation-premiers-secours.pdf"
    assert name in archive.namelist()
    assert archive.read(name).startswith(b"%PDF-")


def test_two_supporting_files_named_alike_are_both_kept_in_the_zip(
    client, coordinator, francoise, mission
):
    first, second = (
        QuestionFactory(mission=mission, kind=Kind.FILE, label_fr="Diplôme", order=n)
        for n in (1, 2)
    )
    answered(francoise, {first: "diplome.pdf", second: "diplome.pdf"})

    names = zipfile.ZipFile(io.BytesIO(export(client, "zip")[1])).namelist()

    assert {"EXP1-0001_LEFEVRE_Francoise_Diplome_diplome.pdf",
            "EXP1-0001_LEFEVRE_Francoise_Diplome_diplome-2.pdf"} <= set(names)  # fmt: skip


def test_an_answer_sent_before_its_question_was_edited_stays_in_the_questions_column(
    client, coordinator, francoise, mission
):
    question = QuestionFactory(mission=mission, kind=Kind.SHORT_TEXT, label_fr="Dernier poste")
    answered(francoise, {question: "Chargée de projets"})
    second = new_version(question, {"label_fr": "Votre dernier poste"})
    new_version(second, {"label_fr": "Votre poste actuel"})

    rows = csv_rows(client)

    assert [rows[0][FIXED:], rows[1][FIXED:]] == [["Votre poste actuel"], ["Chargée de projets"]]


def test_an_export_of_several_missions_has_no_question_columns(client, answers):
    other = submitted(MissionFactory(), stage=Stage.SHORTLISTED)
    client.force_login(staff(MANAGERS, "rh@example.org"))

    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [answers.pk, other.pk]},
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert [len(row) for row in csv.reader(io.StringIO(body))] == [FIXED] * 3


def test_rows_read_in_several_chunks_each_get_their_own_answers(monkeypatch, mission, questions):
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    for name in ("Alpha", "Bravo", "Charlie"):
        answered(submitted(mission), {questions["short_text"]: name})

    rows = list(exports.shortlist_rows(mission.applications.all(), mission=mission))

    assert [row[FIXED] for row in rows[1:]] == ["Alpha", "Bravo", "Charlie"]


@pytest.mark.parametrize(("applications", "extra_questions"), [(2, 0), (8, 30)])
def test_the_rows_take_three_queries_however_many_applications_and_questions(
    mission, questions, applications, extra_questions, django_assert_num_queries
):
    for n in range(extra_questions):
        QuestionFactory(mission=mission, kind=Kind.SHORT_TEXT, order=20 + n)
    texts = Question.objects.filter(mission_links__mission=mission, kind=Kind.SHORT_TEXT)
    for _ in range(applications):
        answered(submitted(mission), dict.fromkeys(texts, "oui"))

    # The mission's questions, the applications, their answers.
    with django_assert_num_queries(3):
        rows = list(exports.shortlist_rows(mission.applications.all(), mission=mission))

    assert len(rows) == applications + 1 and len(rows[0]) == FIXED + 10 + extra_questions


def test_a_big_export_built_by_the_task_has_the_question_columns(
    client, coordinator, answers, settings
):
    from applications.models import ExportLog
    from coordination.tasks import build_export

    settings.EXPORT_SYNC_MAX_ROWS = 0
    export(client, "xlsx")
    job = ExportLog.objects.get()

    assert build_export(job.pk) == "ready"
    job.refresh_from_db()
    with job.file.open("rb") as built:
        sheet = openpyxl.load_workbook(built).active
    assert sheet.cell(row=1, column=FIXED + 1).value == "Dernier poste"
    assert sheet.cell(row=2, column=FIXED + 3).value == "Réseaux sociaux"
