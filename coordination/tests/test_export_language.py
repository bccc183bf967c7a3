"""The language of an export, chosen on the shortlist page: its headings, stages, countries
and the mission's own text (missions/languages.py), in the request as in the export job."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from applications.models import ExportLog
from coordination.tests.helpers import export

pytestmark = pytest.mark.django_db

ENGLISH_TITLE = "Cooperatives support officer"
FRENCH_TITLE = "Chargé·e d'appui aux coopératives"


@pytest.fixture
def translated(mission):
    mission.title_fr, mission.title_en = FRENCH_TITLE, ENGLISH_TITLE
    mission.save()
    return mission


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_shortlist_page_offers_the_language_of_the_files(client, coordinator, francoise):
    french = client.get(reverse("coordination:mission", args=["EXP1"])).content.decode()
    english = client.get("/en/coordination/missions/EXP1/").content.decode()

    assert "Langue de l&#x27;export" in french
    assert '<option value="fr" selected>Français</option>' in french
    assert '<option value="en" selected>English</option>' in english  # the page's, at first
    assert (
        'form="shortlist-form"' in french
        and 'formaction="/coordination/missions/EXP1/export/csv/"' in french
    )


@pytest.mark.parametrize(("language", "page"), [("en", ""), ("fr", "/en")])
def test_the_csv_is_in_the_chosen_language_whatever_the_page_s(
    client, coordinator, francoise, language, page
):
    url = f"{page}/coordination/missions/EXP1/export/csv/"

    rows = csv_rows(b"".join(client.get(url, {"language": language}).streaming_content))

    if language == "en":
        assert rows[0][:3] == ["Reference", "Name", "First name"]
        assert rows[1][5:7] == ["France, Senegal", "Belgium"] and rows[1][11] == "Shortlisted"
    else:
        assert rows[0][:3] == ["Référence", "Nom", "Prénom"]
        assert rows[1][5:7] == ["France, Sénégal", "Belgique"]
        assert rows[1][11] == "Présélectionnée"


def test_without_a_choice_the_files_follow_the_page(client, coordinator, francoise):
    english = csv_rows(
        b"".join(client.get("/en/coordination/missions/EXP1/export/csv/").streaming_content)
    )
    french = csv_rows(
        b"".join(client.get("/coordination/missions/EXP1/export/csv/").streaming_content)
    )

    assert english[0][0] == "Reference" and french[0][0] == "Référence"


def test_an_unknown_language_gives_the_page_s_and_keeps_the_stage(
    client, coordinator, francoise, injector
):
    url = "/en/coordination/missions/EXP1/export/csv/"

    rows = csv_rows(
        b"".join(client.get(url, {"language": "de", "stage": "interview"}).streaming_content)
    )
    both = csv_rows(b"".join(client.get(url, {"language": "de"}).streaming_content))

    assert rows[0][0] == "Reference"
    assert [row[11] for row in rows[1:]] == ["Interview"]  # the stage chosen still applies
    assert len(both) == 3


def test_every_export_logs_its_language(client, coordinator, francoise):
    export(client, "csv", language="en")
    export(client, "xlsx", language="fr")
    client.get("/en/coordination/missions/EXP1/export/csv/")

    logged = list(ExportLog.objects.order_by("pk").values_list("format", "language"))
    assert logged == [("csv", "en"), ("xlsx", "fr"), ("csv", "en")]


def test_the_dossier_names_the_mission_in_the_chosen_language(
    client, coordinator, francoise, translated
):
    _response, english = export(client, "pdf", language="en")
    _response, french = export(client, "pdf", language="fr")

    def text(body: bytes) -> str:
        return " ".join(
            " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(body)).pages
        )

    assert ENGLISH_TITLE in text(english) and FRENCH_TITLE not in text(english)
    assert FRENCH_TITLE in text(french) and ENGLISH_TITLE not in text(french)


def test_a_big_export_is_built_by_the_job_in_the_language_chosen(
    client, coordinator, francoise, injector, settings
):
    from coordination.tasks import build_export

    settings.EXPORT_SYNC_MAX_ROWS = 1
    client.get(reverse("coordination:export", args=["EXP1", "xlsx"]), {"language": "en"})
    job = ExportLog.objects.get()
    assert (job.language, job.state) == ("en", "pending")

    with translation.override("fr"):  # the worker's language: not the file's
        assert build_export(job.pk) == "ready"

    download = client.get(reverse("coordination:job_download", args=[job.public_id]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [sheet["A1"].value, sheet["L1"].value, sheet["L2"].value] == [
        "Reference", "Stage", "Shortlisted",
    ]  # fmt: skip
