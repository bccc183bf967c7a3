"""Coordination pages and shortlist exports, opened with the real readers."""

import csv
import datetime as dt
import io
import tempfile
import tracemalloc
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from applications.models import ExportLog, Stage
from applications.tests.factories import docx_bytes, submitted
from review.tests.test_admin import staff
from coordination import exports
from core import exports as writers
from missions.tests.factories import MissionFactory
from review import services
from review.roles import MANAGERS, REVIEWERS
from volunteers.tests.factories import UserFactory, VolunteerFactory, pdf_bytes

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://x","y")'


@pytest.fixture
def mission():
    return MissionFactory(reference="EXP1", start_date=dt.date(2027, 6, 1))


@pytest.fixture
def francoise(mission):
    volunteer = VolunteerFactory(
        first_name="Françoise", last_name="Lefèvre", birth_date=dt.date(1994, 5, 17), nationalities=["FR", "SN"],
        residence="BE", education_field="Économie sociale · coopération", experience_years=3,
        user__email="francoise@example.org",
    )  # fmt: skip
    application = submitted(
        mission, volunteer, stage=Stage.SHORTLISTED,
        submitted_at=dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC),
        eligibility={"eligible": True, "findings": [{"code": "experience_below", "severity": "note", "legal_basis": "x", "params": {"years": 3, "required": 5}}]},
    )  # fmt: skip
    services.review_save(application=application, reviewer=UserFactory(), scores={"experience": 3, "ess": 4, "cooperation": 4, "languages": 5, "motivation": 4}, comment="")  # fmt: skip
    for kind, content, name in (
        ("cv", pdf_bytes(), "cv.pdf"),
        ("letter", docx_bytes(), "lettre.docx"),
    ):
        from applications.documents import document_store

        document_store(
            application=application, kind=kind, data=ContentFile(content, name=name), name=name
        )
    return application


@pytest.fixture
def injector(mission):
    volunteer = VolunteerFactory(
        first_name=INJECTION, last_name="@SUM(A1:A2)", user__email="x@example.org"
    )
    return submitted(mission, volunteer, stage=Stage.INTERVIEW)


@pytest.fixture
def coordinator(client, mission):
    user = UserFactory(email="comdev@example.org")
    mission.coordinators.add(user)
    client.force_login(user)
    return user


def export(client, fmt, mission="EXP1", **params):
    response = client.get(reverse("coordination:export", args=[mission, fmt]), params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


EXPECTED_FRANCOISE = [
    "EXP1-0001", "Lefèvre", "Françoise", "francoise@example.org", "'+33 6 12 34 56 78", "France, Sénégal",
    "Belgique", "33", "Bac +5 (master) – Économie sociale · coopération", "3", "en C1, fr native",
    "Présélectionnée", "2026-11-21", "4.0", "3 ans d'expérience sur 5 demandés.",
]  # fmt: skip


def test_the_csv_opens_in_python_with_every_column_accents_and_no_formula(
    client, coordinator, francoise, injector
):
    response, body = export(client, "csv")

    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for accents
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Référence" and rows[0][-1] == "Lien dans l'administration"
    assert rows[1][:15] == EXPECTED_FRANCOISE
    assert rows[1][15].endswith(f"/admin/applications/application/{francoise.pk}/change/")
    assert rows[2][2] == "'" + INJECTION and rows[2][1] == "'@SUM(A1:A2)"
    assert rows[2][4] == "'+33 6 12 34 56 78"  # a leading + is a formula to Excel too
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="candidatures_EXP1_{timezone.localdate().isoformat()}.csv"'
    )


def test_the_semicolon_csv_is_for_french_excel(client, coordinator, francoise):
    _, body = export(client, "csv-fr")

    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:3] == ["EXP1-0001", "Lefèvre", "Françoise"]


def test_the_xlsx_has_a_frozen_styled_header_real_dates_and_inert_text(
    client, coordinator, francoise, injector
):
    _, body = export(client, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Référence" and sheet["A1"].font.b
    # Excel shows 30 characters; the file stores them with Excel's padding (30.71).
    assert int(sheet.column_dimensions["D"].width) == 30
    assert sheet["A1"].fill.fgColor.rgb.endswith("0A3D91")
    assert sheet["M2"].is_date and sheet["M2"].number_format == "mm-dd-yy"  # Excel's format 14
    values = [cell.value for cell in sheet[2]]
    assert values[:7] == [
        "EXP1-0001",
        "Lefèvre",
        "Françoise",
        "francoise@example.org",
        "+33 6 12 34 56 78",
        "France, Sénégal",
        "Belgique",
    ]
    assert values[7] == 33 and values[9] == 3 and values[13] == 4.0
    assert values[12] == dt.datetime(2026, 11, 21, tzinfo=None)  # noqa: DTZ001 -- a real date, in Paris time
    assert sheet.cell(row=3, column=3).value == INJECTION
    assert sheet.cell(row=3, column=3).data_type == "s"  # text, not a formula


def test_the_zip_holds_each_cv_and_letter_named_for_the_candidate_and_the_xlsx(
    client, coordinator, francoise
):
    _, body = export(client, "zip")

    archive = zipfile.ZipFile(io.BytesIO(body))
    names = sorted(archive.namelist())
    assert names == [
        "EXP1-0001_LEFEVRE_Francoise_CV.pdf",
        "EXP1-0001_LEFEVRE_Francoise_Lettre.docx",
        "candidatures_EXP1.xlsx",
    ]
    assert archive.read("EXP1-0001_LEFEVRE_Francoise_CV.pdf").startswith(b"%PDF-")
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("candidatures_EXP1.xlsx"))).active
    assert sheet["B2"].value == "Lefèvre"


def test_coordinators_see_the_shortlist_only(client, coordinator, francoise, mission):
    reviewing = submitted(mission, VolunteerFactory(last_name="Enattente"), stage=Stage.IN_REVIEW)

    page = client.get(reverse("coordination:mission", args=["EXP1"])).content.decode()
    _, body = export(client, "csv")

    assert "LEFÈVRE" in page and "ENATTENTE" not in page
    assert reviewing.reference not in body.decode("utf-8-sig")
    only_interviews = export(client, "csv", stage="interview")[1].decode("utf-8-sig")
    assert "EXP1-0001" not in only_interviews


def test_a_coordinator_of_mission_a_gets_404_on_mission_b(client, coordinator, francoise):
    other = MissionFactory(reference="EXP2")
    submitted(other, stage=Stage.SHORTLISTED)

    assert client.get(reverse("coordination:mission", args=["EXP2"])).status_code == 404
    for fmt in ("csv", "csv-fr", "xlsx", "zip"):
        assert export(client, fmt, mission="EXP2")[0].status_code == 404
    home = client.get(reverse("coordination:home")).content.decode()
    assert "EXP1" in home and "EXP2" not in home


def test_anonymous_users_are_sent_to_the_login_page(client, francoise):
    for url in (reverse("coordination:home"), reverse("coordination:mission", args=["EXP1"]),
                reverse("coordination:export", args=["EXP1", "csv"])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_every_export_is_logged(client, coordinator, francoise, injector):
    export(client, "xlsx")

    log = ExportLog.objects.get()
    assert (log.user, log.mission.reference, log.format, log.rows) == (
        coordinator,
        "EXP1",
        "xlsx",
        2,
    )


def test_managers_reach_every_mission_and_export_from_the_admin(client, francoise):
    manager = staff(MANAGERS, "rh@example.org")
    client.force_login(manager)

    assert client.get(reverse("coordination:mission", args=["EXP1"])).status_code == 200
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [francoise.pk]},
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert "EXP1-0001" in body
    assert ExportLog.objects.get().user == manager


def test_reviewers_cannot_export(client, francoise):
    client.force_login(staff(REVIEWERS, "rev@example.org"))

    assert client.get(reverse("coordination:mission", args=["EXP1"])).status_code == 404
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [francoise.pk]},
    )
    assert not response.streaming and not ExportLog.objects.exists()


def test_a_big_xlsx_is_built_by_a_task_then_downloaded(
    client, coordinator, francoise, injector, settings
):
    from coordination.tasks import build_export
    from notifications.models import OutboxMessage

    settings.EXPORT_SYNC_MAX_ROWS = 1
    response = client.get(reverse("coordination:export", args=["EXP1", "xlsx"]))
    job = ExportLog.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert "en préparation" in client.get(job.get_absolute_url()).content.decode()

    assert build_export(job.pk) == "ready"
    assert build_export(job.pk) == "skipped"  # safe to run twice

    assert "est prêt" in client.get(job.get_absolute_url()).content.decode()
    download = client.get(reverse("coordination:job_download", args=[job.public_id]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 3 and sheet["B2"].value == "Lefèvre"
    assert OutboxMessage.objects.get(template="export_ready").to == "comdev@example.org"
    client.force_login(UserFactory())
    assert client.get(job.get_absolute_url()).status_code == 404


def test_keys_missing_or_null_in_an_old_profile_snapshot_export_as_empty_cells(
    client, coordinator, mission
):
    submitted(
        mission, stage=Stage.SHORTLISTED, submitted_at=None,
        profile={"last_name": "Ancien", "birth_date": None, "nationalities": None},
        eligibility={"eligible": True},
    )  # fmt: skip

    rows = list(csv.reader(io.StringIO(export(client, "csv")[1].decode("utf-8-sig"))))
    values = [
        cell.value
        for cell in openpyxl.load_workbook(io.BytesIO(export(client, "xlsx")[1])).active[2]
    ]

    assert rows[1][:15] == ["EXP1-0001", "Ancien"] + [""] * 9 + ["Présélectionnée", "", "", ""]
    assert values[:2] == ["EXP1-0001", "Ancien"] and values[2:11] == [None] * 9
    assert values[11] == "Présélectionnée" and values[12:15] == [None] * 3


def test_snapshot_text_needing_escapes_and_control_characters_still_opens_in_the_xlsx(
    client, coordinator, mission
):
    volunteer = VolunteerFactory(
        first_name=" Zoé & <Ana> ", last_name="Tab\tBell\x07", education_field="a\nb"
    )
    submitted(mission, volunteer, stage=Stage.SELECTED)

    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx")[1])).active

    # XML cannot carry a bell: it is written in Excel's own escape, which Excel reads back as
    # the character (openpyxl leaves it as written), rather than refusing the whole export.
    assert [sheet["C2"].value, sheet["B2"].value] == [" Zoé & <Ana> ", "Tab\tBell_x0007_"]
    assert sheet["I2"].value.endswith("a\nb")


def test_odd_values_round_trip_through_the_xlsx_and_formulas_stay_text(tmp_path):
    texts = ["   ", " lead", "a & b < c > d", "=1+2", "+33 6", "-5", "@SUM(A1)", "line\nbreak",
             "é – ü 中文 😀", "#N/A", "x" * 30000,
             '<r>x</r>', '<r><t>1</t></r><c r="Z9"><v>6</v></c><r><t>2</t></r>']  # fmt: skip
    others = [0, -1, 3.14159, Decimal("4.50"), dt.date(2026, 11, 21), None, "après None"]
    rows = [["Référence"], texts, others]
    with (tmp_path / "ours.xlsx").open("wb") as target:
        assert writers.xlsx_write(iter(rows), target, title="t") == 2

    sheet = openpyxl.load_workbook(tmp_path / "ours.xlsx").active
    read = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert read[0] == texts
    assert read[1][:3] == [0, -1, 3.14159] and read[1][3] == 4.5
    assert read[1][4].date() == dt.date(2026, 11, 21) and read[1][5:7] == [None, "après None"]
    formula_like = [
        cell for cell in sheet[2] if isinstance(cell.value, str) and cell.value[:1] in "=+-@"
    ]
    assert len(formula_like) == 4 and {cell.data_type for cell in formula_like} == {"s"}


def xlsx_peak_memory(data_rows: int) -> int:
    """Peak Python memory while writing that many generated 16-column rows to an XLSX."""
    rows = (
        ["Référence"] * 16 if n == 0 else
        [f"REF-{n:06d}", "Lefèvre", "Françoise", f"c{n}@example.org", "+33 6 12 34 56 78",
         "France, Sénégal", "Belgique", 33, "Master – Droit", 3, "en C1, fr C2", "Soumise",
         dt.date(2026, 11, 21), 4.5, "", f"https://volontiers.example/admin/{n}/"]
        for n in range(data_rows + 1)
    )  # fmt: skip
    with tempfile.TemporaryFile() as target:
        tracemalloc.start()
        try:
            assert writers.xlsx_write(rows, target, title="t") == data_rows
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_the_xlsx_writer_memory_stays_flat_as_rows_grow():
    xlsx_peak_memory(10)  # imports and first-use caches out of the way
    small, large = xlsx_peak_memory(2_000), xlsx_peak_memory(20_000)

    assert large < 2_000_000 and large < small * 1.2 + 200_000


def test_the_csv_streams_the_bom_first_then_chunks_that_join_into_the_same_text(monkeypatch):
    monkeypatch.setattr(writers, "CSV_CHUNK_CHARS", 10)
    rows = [["a", "=b", None], [1, 2.5, dt.date(2026, 11, 21)], ["x;y", "-1", ""]]

    chunks = list(writers.csv_stream(iter(rows), delimiter=";"))

    assert chunks[0] == "\ufeff" and len(chunks) > 3
    assert "".join(chunks) == "\ufeffa;'=b;\r\n1;2.5;2026-11-21\r\n\"x;y\";'-1;\r\n"


def test_a_memo_of_distinct_values_starts_again_past_its_limit(monkeypatch):
    monkeypatch.setattr(exports, "MEMO_LIMIT", 2)
    memo = exports.Memo[str](str.upper)

    assert [memo["a"], memo["b"], memo["a"], memo["c"]] == ["A", "B", "A", "C"]
    assert dict(memo) == {"c": "C"}
