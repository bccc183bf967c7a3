"""Candidates with real documents, as the worker reads them, and the search's staff."""

import io
import zipfile
from html import escape

import pytest
import weasyprint
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.documents import document_store
from applications.models import ApplicationDocument, Stage
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from review.roles import MANAGERS, REVIEWERS
from review.tests.factories import staff
from talent import extraction, index
from testing.services import require_postgresql
from volunteers.tests.factories import VolunteerFactory


@pytest.fixture
def postgresql():
    require_postgresql("full-text search needs PostgreSQL: set DATABASE_URL")


def pdf_of(text: str) -> bytes:
    """A real PDF as a word processor prints it."""
    return weasyprint.HTML(string=f"<html><body><p>{escape(text)}</p></body></html>").write_pdf()


def odt_of(text: str) -> bytes:
    """A real, minimal OpenDocument text (what LibreOffice writes, in its essentials)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # first and stored, as the format asks
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            "<office:body><office:text><text:h>Expérience</text:h>"
            f"<text:p>{text} <text:span>fin</text:span> du paragraphe</text:p>"
            "</office:text></office:body></office:document-content>",
        )
    return buffer.getvalue()


def store(application, kind: str, content: bytes, name: str) -> ApplicationDocument:
    return document_store(
        application=application, kind=kind, data=ContentFile(content, name=name), name=name
    )


def indexed(volunteer) -> None:
    """What the worker does after a change: read the texts, rebuild the search profile."""
    for document in ApplicationDocument.objects.filter(application__volunteer=volunteer):
        extraction.document_text_read(document_id=document.pk, now=timezone.now())
    extraction.volunteer_cv_text_read(volunteer_id=volunteer.pk)
    index.search_profile_refresh(volunteer_id=volunteer.pk, now=timezone.now())


def applicant(mission, *, first_name: str, cv: str, stage=Stage.SUBMITTED, pool=False, **fields):
    """A past applicant to ``mission`` whose application CV says ``cv``, indexed."""
    volunteer = VolunteerFactory(
        first_name=first_name,
        user__email=f"{first_name.lower()}@example.org",
        pool_since=timezone.now() if pool else None,
        **fields,
    )
    application = submitted(mission, volunteer, stage=stage)
    store(application, "cv", pdf_of(cv), f"cv-{first_name}.pdf")
    indexed(volunteer)
    return volunteer


@pytest.fixture
def mission():
    return MissionFactory(reference="VIV1", title="Appui aux coopératives agricoles")


@pytest.fixture
def manager():
    return staff(MANAGERS, "manager@example.org")


@pytest.fixture
def reviewer():
    return staff(REVIEWERS, "reviewer@example.org")
