"""Reading a dossier back as its reader would: each page's text, the bookmarks, the files."""

import io

from pypdf import PdfReader

STAMP = "Confidentiel — exporté par Claire Moreau le"


def read(built) -> PdfReader:
    data = built.read()
    built.close()
    return PdfReader(io.BytesIO(data))


def texts(reader: PdfReader) -> list[str]:
    """Each page's text, its lines joined by spaces (WeasyPrint breaks long lines)."""
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def everything(reader: PdfReader) -> str:
    """All a reader could find in the PDF: the pages, bookmarks, metadata, attached files."""
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    attached = [f"{name} {data!r}" for name, data in reader.attachments.items()]
    metadata = [str(value) for value in (reader.metadata or {}).values()]
    return " ".join([*texts(reader), *outline, *attached, *metadata])
