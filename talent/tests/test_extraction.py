"""Text read from real PDF, DOCX and ODT files in a limited child; hostile files get none."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.models import ApplicationDocument
from applications.tests.factories import submitted
from core.extraction import TEXT_LIMIT, Extracted, text_extract
from talent import extraction
from talent.tests.conftest import odt_of, pdf_of, store
from testing.documents import docx_bytes
from volunteers.models import TextState
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(mission):
    return submitted(mission, VolunteerFactory())


def read(document: ApplicationDocument) -> ApplicationDocument:
    extraction.document_text_read(document_id=document.pk, now=timezone.now())
    document.refresh_from_db()
    return document


def test_pdf_text_is_read_and_kept_beside_the_document(application):
    document = read(store(application, "cv", pdf_of("Élevage de volailles à Kaolack"), "cv.pdf"))
    assert document.text_state == TextState.DONE
    assert "Élevage de volailles à Kaolack" in document.text
    assert document.text_read_at is not None


def test_docx_text_is_read(application):
    content = docx_bytes("Animation de réseaux paysans au Bénin")
    document = read(store(application, "letter", content, "lettre.docx"))
    assert document.text_state == TextState.DONE
    assert document.text == "Animation de réseaux paysans au Bénin"


def test_odt_text_is_read_in_order(application):
    document = read(store(application, "letter", odt_of("Microfinance solidaire"), "lettre.odt"))
    assert document.text_state == TextState.DONE
    assert document.text == "Expérience\nMicrofinance solidaire fin du paragraphe"


def zip_bomb_docx() -> bytes:
    """A valid-looking DOCX whose document.xml inflates from about 100 KB to 100 MB."""
    head = docx_bytes("x")
    source = zipfile.ZipFile(io.BytesIO(head))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, source.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            entry.write(b'<w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>')
            for _ in range(100):
                entry.write(b"a" * 1024 * 1024)
            entry.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def test_a_zip_bomb_has_no_text_and_stays_a_valid_document(application, client):
    bomb = zip_bomb_docx()
    assert len(bomb) < 1024 * 1024
    document = read(store(application, "letter", bomb, "lettre.docx"))
    assert document.text_state == TextState.FAILED
    assert document.text == ""
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()
    with document.file.open("rb") as stored:
        assert stored.read() == bomb  # untouched, still downloadable by staff


def test_a_corrupt_pdf_has_no_text():
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + b"\x00garbage" * 5000
    assert text_extract(broken, "pdf") == Extracted(None, "failed")


def test_a_document_over_the_time_limit_has_no_text():
    extracted = text_extract(pdf_of("Coopération"), "pdf", timeout=0.01)
    assert (extracted.text, extracted.problem) == (None, "timeout")


def test_a_document_over_the_memory_limit_has_no_text():
    extracted = text_extract(pdf_of("Coopération"), "pdf", memory_bytes=32 * 1024 * 1024)
    assert (extracted.text, extracted.problem) == (None, "failed")


def test_the_text_kept_is_capped():
    content = docx_bytes("mot " * (TEXT_LIMIT // 2))
    extracted = text_extract(content, "docx")
    assert extracted.text is not None
    assert len(extracted.text) == TEXT_LIMIT


def test_word_97_is_not_read():
    assert text_extract(b"\xd0\xcf\x11\xe0", "doc").problem == "unsupported"


def test_the_profile_cv_text_is_read_and_cleared_with_the_account():
    from applications.privacy import account_erase

    volunteer = VolunteerFactory(cv_text_state=TextState.PENDING)
    volunteer.cv.save("cv.pdf", ContentFile(pdf_of("Maraîchage biologique")), save=False)
    volunteer.save()
    extraction.volunteer_cv_text_read(volunteer_id=volunteer.pk)
    volunteer.refresh_from_db()
    assert "Maraîchage biologique" in volunteer.cv_text
    account_erase(user=volunteer.user, reason="test")
    volunteer.refresh_from_db()
    assert (volunteer.cv_text, volunteer.cv_text_state) == ("", "")
