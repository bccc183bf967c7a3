"""Storing application documents: checked by content, random names on disk, original names kept."""

import re
import unicodedata
from pathlib import PurePosixPath

from django.core.files import File
from django.db import transaction

from applications.models import Application, ApplicationDocument, document_upload_to
from volunteers.documents import EXTENSIONS, document_write, validate_document

NAME_LIMIT = 80


def sanitise_filename(name: str, kind: str) -> str:
    """A safe download name: no path, plain characters, at most 80, with the real extension."""
    base = PurePosixPath(name.replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base else base
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    clean = re.sub(r"[^A-Za-z0-9._ -]+", "", ascii_stem).strip(" ._-")
    clean = re.sub(r"[ ]+", " ", clean)[:NAME_LIMIT].strip(" ._-")
    return f"{clean or 'document'}{EXTENSIONS[kind]}"


def document_store(
    *,
    application: Application,
    kind: str,
    data: File,
    name: str,
) -> ApplicationDocument:
    """Check a file and attach it to an application, replacing (and deleting) any earlier one."""
    file_type = validate_document(data)
    earlier = application.documents.filter(kind=kind).first()
    if earlier is not None:
        document_delete(document=earlier)
    document = ApplicationDocument(
        application=application,
        kind=kind,
        file_type=file_type,
        original_name=sanitise_filename(name, file_type),
        size=data.size or 0,
    )
    storage = document.file.storage
    document.file = document_write(storage, document_upload_to(document, "upload"), data)
    try:
        document.save()
    except Exception:
        storage.delete(document.file.name)  # no row names the file
        raise
    return document


def document_delete(*, document: ApplicationDocument) -> None:
    """Delete a document's row now and its file once the deletion is committed."""
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
