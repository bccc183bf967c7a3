"""Shortlist exports (coordination.exports), opened with the real readers: CSV, XLSX and ZIP."""

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from applications.models import Stage
from applications.tests.factories import submitted
from coordination import exports
from coordination.tests.helpers import INJECTION, export
from testing.clock import days
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def expected_francoise() -> list[str]:
    """Her row; she sent her application five days ago, in Paris time (see the conftest)."""
    return [
        "EXP1-0001", "Lefèvre", "Françoise", "francoise@example.org", "'+33 6 12 34 56 78", "France, Sénégal",
        "Belgique", "33", "Bac +5 (master) – Économie sociale · coopération", "3", "en C1, fr native",
        "Présélectionnée", days(-5).isoformat(), "4.0", "3 ans d'expérience sur 5 demandés.",
    ]  # fmt: skip


def test_the_csv_opens_in_python_with_every_column_accents_and_no_formula(
    client, coordinator, francoise, injector
):
    response, body = export(client, "csv")

    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for accents
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Référence" and rows[0][-1] == "Lien dans l'administration"
    assert rows[1][:15] == expected_francoise()
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
    assert values[12] == dt.datetime.combine(days(-5), dt.time())  # a real date, in Paris time
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


def test_a_memo_of_distinct_values_starts_again_past_its_limit(monkeypatch):
    monkeypatch.setattr(exports, "MEMO_LIMIT", 2)
    memo = exports.Memo[str](str.upper)

    assert [memo["a"], memo["b"], memo["a"], memo["c"]] == ["A", "B", "A", "C"]
    assert dict(memo) == {"c": "C"}
