"""A partner's dossier: asked for on the link's page, built by the worker with the link's
redactions and without staff's reviews, downloaded and logged per candidate; and a DOCX
letter shown in the browser as a PDF converted by LibreOffice."""

import io

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from applications.documents import document_store
from applications.models import ApplicationDocument, ExportLog, Review
from selection import partner_dossiers
from selection.models import PartnerAccess, PartnerDossier
from selection.tests.partners.conftest import make_link, opened
from testing.documents import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_dossier_is_refused_unless_the_link_allows_it(client, link_and_token, mail_via_smtp):
    _link, token = link_and_token
    opened(client, token, mail_via_smtp)
    assert client.get(f"/partenaires/{token}/dossier/").status_code == 404
    assert client.post(f"/partenaires/{token}/dossier/").status_code == 404
    assert not ExportLog.objects.exists()


def test_the_partner_asks_for_the_dossier_the_worker_builds_it_and_each_download_is_logged(
    client, mission, manager, shortlisted, mail_via_smtp, django_capture_on_commit_callbacks
):
    Review.objects.create(application=shortlisted, reviewer=manager, scores={"experience": 2},
                          average=2, comment="Avis interne du jury")  # fmt: skip
    _link, token = make_link(mission, manager, allow_dossier=True)
    opened(client, token, mail_via_smtp)
    page = f"/partenaires/{token}/dossier/"

    with django_capture_on_commit_callbacks() as queued:
        assert client.post(page).status_code == 302
    waiting = client.get(page).content.decode()
    dossier = PartnerDossier.objects.get()
    result = partner_dossiers.dossier_build(
        export_id=dossier.export_id, now=dossier.export.created_at
    )
    ready = client.get(page).content.decode()
    download = f"/partenaires/{token}/dossier/{dossier.export.public_id}/"
    response = client.get(download)
    data = b"".join(response.streaming_content)

    assert len(queued) == 1  # the task, queued once the request committed
    assert "Le dossier est en préparation" in waiting and 'http-equiv="refresh"' in waiting
    assert result == "ready" and download in ready
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(data)
    assert "NDIAYE Awa" in text and shortlisted.reference in text
    assert "Confidentiel" in text and "Kofi Mensah (COMDEV Africa)" in text
    assert "Avis interne du jury" not in text  # staff reviews stay with staff
    assert "1996" not in text and "awa.ndiaye@example.org" not in text  # redacted by default
    export = ExportLog.objects.get()
    assert (export.format, export.state, export.rows, export.user) == ("pdf", "ready", 1, manager)
    assert list(
        PartnerAccess.objects.filter(action="dossier").values_list("application", flat=True)
    ) == [shortlisted.pk]


def test_a_docx_letter_is_shown_in_the_browser_as_a_pdf(
    client, link_and_token, shortlisted, mail_via_smtp
):
    _link, token = link_and_token
    document_store(application=shortlisted, kind="letter", name="lettre.docx",
                   data=ContentFile(docx_bytes("Madame, Monsieur, je candidate à Dakar."), name="lettre.docx"))  # fmt: skip
    document_store(
        application=shortlisted,
        kind="cv",
        name="cv.pdf",
        data=ContentFile(pdf_bytes(), name="cv.pdf"),
    )
    opened(client, token, mail_via_smtp)
    letter = shortlisted.documents.get(kind="letter")

    response = client.get(
        f"/partenaires/{token}/candidats/{shortlisted.reference}/documents/{letter.public_id}/"
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="lettre.pdf"'
    assert "je candidate à Dakar" in pdf_text(response.content)


def test_a_letter_libreoffice_cannot_convert_gets_a_clear_page(
    client, link_and_token, shortlisted, mail_via_smtp
):
    _link, token = link_and_token
    # Stored as the apply form would store a DOCX its checks accepted, but damaged since.
    ApplicationDocument.objects.create(
        application=shortlisted, kind="letter", file_type="docx", original_name="lettre.docx",
        file=ContentFile(b"PK\x03\x04 damaged", name="lettre.docx"), size=16,
    )  # fmt: skip
    opened(client, token, mail_via_smtp)
    letter = shortlisted.documents.get(kind="letter")

    response = client.get(
        f"/partenaires/{token}/candidats/{shortlisted.reference}/documents/{letter.public_id}/"
    )

    assert response.status_code == 422
    assert "Ce document ne peut pas être affiché dans le navigateur" in response.content.decode()


def test_asking_again_while_a_dossier_is_built_starts_no_second_build(
    client, mission, manager, shortlisted, mail_via_smtp
):
    _link, token = make_link(mission, manager, allow_dossier=True)
    opened(client, token, mail_via_smtp)

    client.post(f"/partenaires/{token}/dossier/")
    client.post(f"/partenaires/{token}/dossier/")

    assert PartnerDossier.objects.count() == ExportLog.objects.count() == 1
