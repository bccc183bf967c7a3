"""The candidate's files in the dossier: a Word letter converted by the real LibreOffice, and
the faults: no LibreOffice, a file it cannot convert, one it hangs on, a damaged PDF. The
dossier is built every time, with a note where a document's pages would be."""

import os
import shutil
import time

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.models import Application, ApplicationDocument
from selection.dossier import dossier_file
from selection.tests.conftest import store
from selection.tests.pdfs import STAMP, read, texts
from testing.documents import docx_bytes
from testing.services import missing

pytestmark = pytest.mark.django_db


def dossier(application):
    built = dossier_file(
        Application.objects.filter(pk=application.pk),
        mission=application.mission,
        exported_by="Claire Moreau",
        now=timezone.now(),
    )
    return read(built)


def raw_document(application, kind, content, name, file_type):
    """A stored file as an older upload check, or a damaged disk, may have left it."""
    return ApplicationDocument.objects.create(
        application=application, kind=kind, file=ContentFile(content, name=name),
        original_name=name, file_type=file_type, size=len(content),
    )  # fmt: skip


@pytest.fixture
def libreoffice():
    if shutil.which("soffice") is None:
        missing("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")


def test_a_word_letter_is_converted_by_libreoffice_and_stamped(candidate, libreoffice):
    store(
        candidate,
        "letter",
        docx_bytes("Madame, Monsieur, je souhaite rejoindre Dakar."),
        "lettre.docx",
    )

    reader = dossier(candidate)

    pages = texts(reader)
    assert "je souhaite rejoindre Dakar" in pages[-1] and STAMP in pages[-1]
    assert all(STAMP in page for page in pages)
    assert not reader.attachments


def test_without_libreoffice_a_word_letter_is_attached_with_a_note(candidate, settings):
    settings.DOSSIER_SOFFICE = "no-such-soffice"
    letter = docx_bytes("Lettre en Word")
    store(candidate, "letter", letter, "lettre.docx")

    reader = dossier(candidate)

    section = " ".join(texts(reader))
    assert "lettre.docx" in section and "LibreOffice n'y est pas installé" in section
    assert "Lettre en Word" not in section
    assert reader.attachments == {"DOS1-0001_letter.docx": [letter]}


def test_a_file_libreoffice_cannot_convert_gives_a_note_and_the_dossier_is_built(
    candidate, libreoffice
):
    # A ZIP that claims to be a Word document, with nothing Word could read in it.
    candidate.documents.filter(kind="letter").delete()
    raw_document(candidate, "letter", b"PK\x03\x04" + os.urandom(2000), "abimee.docx", "docx")

    reader = dossier(candidate)

    pages = texts(reader)
    assert "abimee.docx" in pages[0] and "n'a pas pu être converti" in pages[0]
    assert "Curriculum page deux" in " ".join(pages)  # the CV is there still
    assert list(reader.attachments) == ["DOS1-0001_letter.docx"]


def test_a_damaged_pdf_gives_a_note_in_place_of_its_pages(candidate):
    candidate.documents.filter(kind="cv").delete()
    raw_document(candidate, "cv", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF", "cv.pdf", "pdf")

    reader = dossier(candidate)

    pages = texts(reader)
    assert "protégé ou illisible" in pages[0]
    assert "Lettre de motivation d'Awa" in pages[-1]
    assert list(reader.attachments) == ["DOS1-0001_cv.pdf"]


HANGING = """#!/bin/sh
# LibreOffice stuck on a file: it never writes the PDF, its child never ends.
sleep 300 &
echo "$$ $!" > "{pids}"
wait
"""


def test_a_hanging_libreoffice_is_killed_at_the_time_limit(candidate, settings, tmp_path):
    pids = tmp_path / "pids"
    program = tmp_path / "soffice"
    program.write_text(HANGING.format(pids=pids))
    program.chmod(0o755)
    settings.DOSSIER_SOFFICE = str(program)
    settings.DOSSIER_CONVERT_TIMEOUT = 1
    store(candidate, "letter", docx_bytes("Lettre"), "lettre.docx")

    started = time.monotonic()
    reader = dossier(candidate)

    assert time.monotonic() - started < 20
    assert "a pris trop de temps" in texts(reader)[0]
    assert list(reader.attachments) == ["DOS1-0001_letter.docx"]
    # The script and its child: both ended (the child may linger as a zombie until PID 1,
    # which inherits it, collects it: it runs no more).
    time.sleep(0.2)
    assert not [pid for pid in map(int, pids.read_text().split()) if running(pid)]


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
