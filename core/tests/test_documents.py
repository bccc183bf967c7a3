"""core.documents: uploads checked by their content, and files that follow their transaction."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from core.documents import atomic_with_files, document_write, validate_document
from testing.documents import docx_bytes, files_under, pdf_bytes

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def test_a_zip_bomb_is_refused_without_being_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"\0" * 50_000_000)  # 50 MB of zeros, ~50 KB compressed
        archive.writestr("[Content_Types].xml", b"x")
    tracemalloc.start()
    with pytest.raises(ValidationError, match="Format non accepté"):
        validate_document(upload(buffer.getvalue(), "cv.odt"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000


def test_a_macro_enabled_word_file_is_refused():
    """The same document, its content type made macro-enabled (a .docm named .docx)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes())) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                )
            target.writestr(item, data)
    with zipfile.ZipFile(buffer) as twin:
        assert b"macroEnabled.main+xml" in twin.read("[Content_Types].xml")
    # The plain docx is accepted, its macro-enabled twin is not.
    assert validate_document(upload(docx_bytes(), "a.docx")) == "docx"
    with pytest.raises(ValidationError, match="Format non accepté"):
        validate_document(upload(buffer.getvalue(), "a.docx"))


def test_an_ole_file_that_is_not_a_word_document_is_refused():
    fake_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"<html><script>alert(1)</script></html>" * 20

    with pytest.raises(ValidationError, match="Format non accepté"):
        validate_document(upload(fake_doc, "cv.doc"))


def test_a_pdf_protected_only_against_editing_is_accepted():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="", owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert validate_document(upload(buffer.getvalue())) == "pdf"


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.binary(max_size=4096),
    head=st.sampled_from([b"", b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
)
def test_the_upload_validator_never_crashes_on_random_bytes(content, head):
    upload = SimpleUploadedFile("upload", head + content)
    try:
        kind = validate_document(upload)
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
    else:
        assert kind in {"pdf", "docx", "doc", "odt"}


def test_files_written_in_a_failed_transaction_are_removed(tmp_path):
    storage = FileSystemStorage(location=str(tmp_path))

    with pytest.raises(RuntimeError), atomic_with_files(storage) as written:
        written.append(document_write(storage, "a/one.pdf", ContentFile(b"%PDF-1.4 one")))
        written.append(document_write(storage, "a/two.pdf", ContentFile(b"%PDF-1.4 two")))
        raise RuntimeError("the transaction failed")

    assert files_under(tmp_path) == []
    with atomic_with_files(storage) as written:
        written.append(document_write(storage, "a/kept.pdf", ContentFile(b"%PDF-1.4 kept")))
    assert files_under(tmp_path) == ["a/kept.pdf"]


@pytest.mark.django_db(transaction=True)
def test_committed_files_stay_when_a_later_commit_hook_fails(tmp_path):
    storage = FileSystemStorage(location=str(tmp_path))

    def failing_hook() -> None:
        raise RuntimeError("a hook after the COMMIT")

    with pytest.raises(RuntimeError), atomic_with_files(storage) as written:
        written.append(document_write(storage, "a/one.pdf", ContentFile(b"%PDF-1.4 one")))
        transaction.on_commit(failing_hook)

    assert files_under(tmp_path) == ["a/one.pdf"]


@pytest.mark.django_db(transaction=True)
def test_files_and_their_transaction_are_never_nested_in_another(tmp_path):
    storage = FileSystemStorage(location=str(tmp_path))

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():  # noqa: SIM117
        with atomic_with_files(storage):
            pass
