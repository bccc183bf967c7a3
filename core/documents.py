"""Candidates' documents (CV, letter) are checked by content, never by name or browser claim."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import PurePosixPath
from typing import Any
from weakref import WeakKeyDictionary

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import InterfaceError, OperationalError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

logger = logging.getLogger(__name__)

EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "odt": ".odt"}
# A sent file's name is shown and used for downloads, shortened to this many characters (plus
# its extension); it is never the stored name, so its length never refuses a document.
NAME_LIMIT = 80


def sanitise_filename(name: str, kind: str) -> str:
    """A safe display and download name: no path, plain characters, at most ``NAME_LIMIT``,
    with the extension of the type found in the content."""
    base = PurePosixPath(name.replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base else base
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    clean = re.sub(r"[^A-Za-z0-9._ -]+", "", ascii_stem).strip(" ._-")
    clean = re.sub(r"[ ]+", " ", clean)[:NAME_LIMIT].strip(" ._-")
    return f"{clean or 'document'}{EXTENSIONS[kind]}"


def size_limit() -> str:
    """DOCUMENT_MAX_BYTES as people read it (« 5,0 Mio »), in the active language."""
    return filesizeformat(settings.DOCUMENT_MAX_BYTES)


# The form's help: the formats and the size limit, read from the settings when shown.
DOCUMENT_HELP = format_lazy(
    _("PDF, DOCX, DOC ou ODT, {limit} au plus."), limit=lazy(size_limit, str)()
)

# The kind of each upload already found valid: the form checks it, then the service that
# stores it asks again, and the bytes a request brought do not change in between.
checked_uploads: WeakKeyDictionary[UploadedFile, str] = WeakKeyDictionary()


def document_kind(head: bytes, data: io.BufferedIOBase | File[Any]) -> str | None:
    """'pdf', 'docx', 'doc', 'odt' from the file's own bytes, or None."""
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "doc" if is_word_97(data) else None
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(data) as archive:
                return office_zip_kind(archive)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            return None
    return None


def is_word_97(data: io.BufferedIOBase | File[Any]) -> bool:
    """An OLE container is a Word file only if it has a WordDocument stream (not .xls, .msi…)."""
    try:
        with olefile.OleFileIO(data) as ole:
            return bool(ole.exists("WordDocument"))
    except (OSError, ValueError):
        return False
    finally:
        data.seek(0)


def office_zip_kind(archive: zipfile.ZipFile) -> str | None:
    """ODT or DOCX by their declared content, read in small bounded pieces (no zip bomb)."""
    names = set(archive.namelist())
    if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
        with archive.open("mimetype") as entry:
            if entry.read(100).strip() == ODT_MIMETYPE:
                return "odt"
    types = "[Content_Types].xml"
    if (
        types in names
        and "word/document.xml" in names
        and archive.getinfo(types).file_size <= 64_000
    ):
        with archive.open(types) as entry:
            content_types = entry.read(64_000)
        # A macro-enabled document (.docm) is not a CV.
        if DOCX_MAIN in content_types and b"macroEnabled" not in content_types:
            return "docx"
    return None


def check_pdf(data: File[Any]) -> None:
    # pypdf is imported by the first upload, not by every web worker (about 17 MB).
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(data)
        # Protected against printing or editing only: it opens without a password, so accept it.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("Ce PDF est protégé par un mot de passe : envoyez une version sans protection."),
                code="pdf_encrypted",
            )
        if len(reader.pages) == 0:
            raise ValidationError(_("Ce PDF ne contient aucune page."), code="pdf_empty")
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise ValidationError(
            _("Ce PDF est incomplet ou abîmé : enregistrez-le de nouveau et renvoyez-le."),
            code="pdf_damaged",
        ) from error


def validate_document(data: File[Any]) -> str:
    """Refuse what is not a readable PDF, DOCX, DOC or ODT under the size limit; return its kind."""
    if isinstance(data, UploadedFile) and data in checked_uploads:
        return checked_uploads[data]
    kind = document_check(data)
    if isinstance(data, UploadedFile):
        checked_uploads[data] = kind
    return kind


def document_check(data: File[Any]) -> str:
    """The checks of ``validate_document``, run every time."""
    limit = settings.DOCUMENT_MAX_BYTES
    if data.size == 0:
        raise ValidationError(_("Le fichier est vide : choisissez le bon fichier."), code="empty")
    if data.size is not None and data.size > limit:
        raise ValidationError(
            _("Le fichier dépasse %(limit)s : envoyez un document plus léger."),
            code="too_large",
            params={"limit": size_limit()},
        )
    data.seek(0)
    head = data.read(8)
    data.seek(0)
    kind = document_kind(head, data)
    data.seek(0)
    if kind is None:
        raise ValidationError(
            _("Format non accepté : envoyez un PDF, un DOCX, un DOC ou un ODT."),
            code="bad_type",
        )
    if kind == "pdf":
        check_pdf(data)
        data.seek(0)
    return kind


class DocumentNotStored(Exception):
    """The storage could not write a document (disk full, bucket unreachable): nothing is kept."""

    message = _(
        "Votre document n'a pas pu être enregistré, à cause d'un incident de notre côté. "
        "Rien n'a été perdu de ce qui était déjà enregistré : choisissez de nouveau le fichier "
        "et réessayez dans quelques minutes."
    )


def document_write(storage: Storage, name: str, content: File[Any], max_length: int = 200) -> str:
    """Write a document and return its stored name; on failure remove what was partly written."""
    target = storage.get_available_name(name, max_length=max_length)
    try:
        return storage.save(target, content, max_length=max_length)
    except Exception as error:  # any backend's failure: OSError (disk full), S3 client errors…
        with suppress(Exception):
            storage.delete(target)
        raise DocumentNotStored(target) from error


@contextmanager
def atomic_with_files(storage: Storage) -> Iterator[list[str]]:
    """A transaction (``transaction.atomic``, never nested) whose written files go with it.

    Names written inside the block are deleted if the block fails, or if its COMMIT fails
    with a definite answer (a constraint checked at COMMIT). A COMMIT whose answer is lost
    (the connection dropped: OperationalError or InterfaceError) may have gone through, and
    then rows name the files: they are kept and logged, and the daily sweep
    (``applications.documents.orphan_documents_sweep``) removes them if no row names them.
    So do the rare definite failures Django also reports as OperationalError at COMMIT (a
    serialization failure): kept, then swept. Once committed, the files are never deleted
    here, even if an ``on_commit`` hook fails afterwards.

    ``durable``: inside another transaction the block would end in a savepoint, not in the
    COMMIT this decides on.
    """
    written: list[str] = []
    body_done = False
    committed = False

    def mark_committed() -> None:
        nonlocal committed
        committed = True

    try:
        with transaction.atomic(durable=True):
            transaction.on_commit(mark_committed)  # the first hook: runs before any other
            yield written
            body_done = True
    except (OperationalError, InterfaceError):
        if body_done:
            logger.warning("COMMIT outcome unknown; files kept for the sweep: %s", written)
        else:
            remove_quietly(storage, written)
        raise
    except BaseException:
        if not committed:
            remove_quietly(storage, written)
        raise


def remove_quietly(storage: Storage, names: list[str]) -> None:
    for name in names:
        with suppress(Exception):  # the first error is the one to report
            storage.delete(name)
