"""Candidates' documents (CV, letter) are checked by content, never by name or browser claim."""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "odt": ".odt"}


def document_kind(head: bytes, data: io.BufferedIOBase | File) -> str | None:
    """'pdf', 'docx', 'doc', 'odt' from the file's own bytes, or None."""
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "doc"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(data) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return "docx"
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
    return None


def check_pdf(data: File) -> None:
    try:
        reader = PdfReader(data)
        if reader.is_encrypted:
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


def validate_document(data: File) -> str:
    """Refuse what is not a readable PDF, DOCX, DOC or ODT under the size limit; return its kind."""
    limit = settings.DOCUMENT_MAX_BYTES
    if data.size == 0:
        raise ValidationError(_("Le fichier est vide : choisissez le bon fichier."), code="empty")
    if data.size is not None and data.size > limit:
        raise ValidationError(
            _("Le fichier dépasse %(limit)s : envoyez un document plus léger."),
            code="too_large",
            params={"limit": filesizeformat(limit)},
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
