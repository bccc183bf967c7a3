"""Reading the text of candidates' documents in the worker (core.extraction does the reading,
in a limited child process): an application's CV, letter and supporting files, and the
profile's CV. The text is written only if the same file is still there."""

import datetime as dt
import io
import logging

from django.conf import settings
from django.core.files.storage import default_storage

from applications.models import ApplicationDocument
from core.documents import document_kind
from core.extraction import Extracted, text_extract
from volunteers.models import TextState, Volunteer

logger = logging.getLogger(__name__)
# The documents' texts staff search reads: CVs and letters (not supporting files: a diploma
# or a passport copy says little and may say much that is private; their text is not read).
SEARCHED_KINDS = (ApplicationDocument.Kind.CV, ApplicationDocument.Kind.LETTER)


def file_text(name: str, kind: str) -> Extracted:
    """The text of a stored file; a file too big to be a candidate's is not read."""
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read(settings.DOCUMENT_MAX_BYTES + 1)
    except OSError:
        logger.warning("Text extraction: %s could not be opened", name, exc_info=True)
        return Extracted(None, "failed")
    if len(data) > settings.DOCUMENT_MAX_BYTES:
        return Extracted(None, "failed")
    return text_extract(data, kind or document_kind(data[:8], io.BytesIO(data)) or "")


def state_of(extracted: Extracted) -> str:
    if extracted.text is not None:
        return TextState.DONE
    return TextState.UNSUPPORTED if extracted.problem == "unsupported" else TextState.FAILED


def document_text_read(*, document_id: int, now: dt.datetime) -> int | None:
    """Read a document's text (safe to run twice); returns its volunteer's id, or None when
    the document is gone."""
    document = (
        ApplicationDocument.objects.filter(pk=document_id)
        .values("file", "file_type", "kind", "text_state", "application__volunteer_id")
        .first()
    )
    if document is None:
        return None
    if document["text_state"] == TextState.PENDING and document["kind"] not in SEARCHED_KINDS:
        # A supporting file (a passport, a diploma) is never searched: its text is not read.
        ApplicationDocument.objects.filter(pk=document_id).update(
            text_state=TextState.UNSUPPORTED, text_read_at=now
        )
    elif document["text_state"] == TextState.PENDING:
        extracted = file_text(document["file"], document["file_type"])
        if extracted.problem:
            logger.info("Text extraction of document %s: %s", document_id, extracted.problem)
        # Only if the row still names this file: a document replaced meanwhile is left alone.
        ApplicationDocument.objects.filter(pk=document_id, file=document["file"]).update(
            text=extracted.text or "", text_state=state_of(extracted), text_read_at=now
        )
    return int(document["application__volunteer_id"])


def volunteer_cv_text_read(*, volunteer_id: int) -> None:
    """Read the profile CV's text if it is waiting to be read (safe to run twice)."""
    volunteer = (
        Volunteer.objects.filter(pk=volunteer_id, cv_text_state=TextState.PENDING)
        .values("cv")
        .first()
    )
    if volunteer is None or not volunteer["cv"]:
        return
    name = volunteer["cv"]
    extracted = file_text(name, "")  # its type read from its content
    if extracted.problem:
        logger.info("Text extraction of the CV of %s: %s", volunteer_id, extracted.problem)
    # A CV replaced meanwhile keeps its own state (pending), and is read by its own task.
    Volunteer.objects.filter(pk=volunteer_id, cv=name).update(
        cv_text=extracted.text or "", cv_text_state=state_of(extracted)
    )
