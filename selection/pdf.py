"""The dossier's PDF pieces: HTML rendered by WeasyPrint, a candidate's documents as pages
(PDF read page by page, Word and OpenDocument converted by ``selection.convert``), and the
stamp laid over every appended page.

Nothing here raises for a candidate's file: a document that cannot be read or converted
becomes an ``Appendix`` without pages and with the reason, which the section then states.
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from applications.models import ApplicationDocument
from selection import convert

# The formats LibreOffice turns into PDF.
CONVERTED_TYPES = frozenset({"docx", "doc", "odt"})
# Why a document is not appended, as the section says it.
PROBLEMS = {
    "missing": _(
        "Ce document n'a pas pu être converti en PDF sur ce serveur (LibreOffice n'y est "
        "pas installé) : il est joint au PDF en pièce jointe."
    ),
    "timeout": _(
        "La conversion de ce document en PDF a pris trop de temps et a été interrompue : il "
        "est joint au PDF en pièce jointe."
    ),
    "failed": _(
        "Ce document n'a pas pu être converti en PDF : il est joint au PDF en pièce jointe."
    ),
    "unreadable": _(
        "Ce PDF est protégé ou illisible : ses pages ne peuvent pas être reprises ici ; il est "
        "joint au PDF en pièce jointe."
    ),
    "lost": _("Ce document est introuvable dans le stockage : il n'a pas pu être repris."),
}


@dataclass
class Appendix:
    """A document after its section: its pages as a PDF file, or why there are none (then
    ``original`` is the file as sent, to attach to the PDF, if it could be read at all)."""

    document: ApplicationDocument
    pdf: Path | None
    pages: int
    problem: str = ""
    original: Path | None = None

    @property
    def note(self) -> str:
        return str(PROBLEMS[self.problem]) if self.problem else ""


def refuse_urls(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint fetches nothing: the dossier's HTML has no outside resource, and a
    candidate's text never makes it fetch one."""
    raise ValueError("the dossier loads no URL")


def render(template: str, context: dict[str, Any], target: Path) -> int:
    """Render a template of ``selection/dossier/`` to a PDF file; its number of pages."""
    import weasyprint  # loaded by the dossier only: web processes start without it

    html = render_to_string(f"selection/dossier/{template}", context)
    document = weasyprint.HTML(string=html, url_fetcher=refuse_urls).render(
        font_config=font_configuration()
    )
    document.write_pdf(target)
    return len(document.pages)


@functools.cache
def font_configuration() -> Any:
    """One font set-up for every page this process renders: WeasyPrint makes a new one per
    document otherwise, and the native memory of each stays taken (about half a megabyte
    per candidate of a 200-candidate dossier)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def appendix(document: ApplicationDocument, workdir: Path) -> Appendix:
    """The document's pages as a PDF in ``workdir``, converted if need be; never raises."""
    original = workdir / f"document-{document.pk}{document.extension}"
    try:
        with document.file.open("rb") as source, original.open("wb") as copy:
            shutil.copyfileobj(source, copy, 1024 * 1024)
    except OSError:
        return Appendix(document, None, 0, "lost")
    pdf = original
    if document.file_type in CONVERTED_TYPES:
        converted = convert.to_pdf(original, workdir=workdir)
        if converted.pdf is None:
            return Appendix(document, None, 0, converted.problem, original)
        pdf = converted.pdf
    pages = readable_pages(pdf)
    if pages == 0:
        return Appendix(document, None, 0, "unreadable", original)
    return Appendix(document, pdf, pages, original=original)


def readable_pages(path: Path) -> int:
    """The PDF's number of pages, or 0 when it is encrypted, damaged or empty."""
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return 0
        for page in reader.pages:
            page.get_contents()  # a page whose content cannot be read fails here, not later
        return len(reader.pages)
    # pypdf reports a damaged file by its own errors, and sometimes by Python's own.
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return 0


def stamp_page(stamp: str, workdir: Path) -> PageObject:
    """The stamp alone, as a thin strip to lay over the foot of an appended page."""
    path = workdir / "stamp.pdf"
    render("stamp.html", {"stamp": stamp}, path)
    return PdfReader(path).pages[0]


def append_stamped(writer: PdfWriter, pdf: Path, stamp: PageObject) -> None:
    """Append every page of ``pdf``, the stamp centred on its foot, scaled down to fit."""
    reader = PdfReader(pdf)
    if reader.is_encrypted:
        reader.decrypt("")
    width = float(stamp.mediabox.width)
    for page in reader.pages:
        box = page.mediabox
        scale = min(1.0, float(box.width) / width)
        left = float(box.left) + (float(box.width) - width * scale) / 2
        placed = Transformation().scale(scale).translate(left, float(box.bottom))
        writer.add_page(page).merge_transformed_page(stamp, placed, over=True)
