"""The dossier a selection committee reads: one PDF with, for each candidate, the mission, the
profile, the answers, the eligibility verdict, staff notes, reviews and partner opinions
(staff only), then the CV and the letter themselves, page by page.

Each candidate's section is rendered on its own (WeasyPrint, from
``selection/templates/selection/dossier/``) into a temporary file with its documents, so that
the memory a dossier takes grows with the PDF's size, never with a layout of every candidate;
several candidates get a contents page (names, references, pages) and a bookmark each. Every
page carries "Confidentiel — exporté par … le …": the HTML pages in their margin, the
appended pages by a stamp laid over their foot. A document that cannot be read or converted
is named with a note in its place and joined to the PDF as an attachment: the dossier is
built whatever the files hold.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pypdf import PageObject, PdfWriter

from applications.models import Application
from core.dates import long_date
from missions.models import Mission
from selection.pdf import Appendix, append_stamped, appendix, render, stamp_page
from selection.redactions import NONE, Redactions
from selection.sections import dossier_queryset, section

# A dossier's task may take this long (seconds): 200 candidates take about a minute and a half,
# plus a few seconds per Word or OpenDocument file LibreOffice converts.
TASK_TIME_LIMIT = 3600
# Applications read per round trip (with their answers, documents, reviews…).
CHUNK = 50


@dataclass
class Part:
    """A candidate's pages, written to ``path``, and what the contents page says of them."""

    reference: str
    name: str
    path: Path
    pages: int
    attachments: list[tuple[str, Path]] = field(default_factory=list)


def dossier_file(
    applications: QuerySet[Application],
    *,
    mission: Mission | None,
    exported_by: str,
    now: dt.datetime,
    redactions: Redactions = NONE,
    staff_sections: bool = True,
) -> IO[bytes]:
    """The dossier of these applications as one PDF, in an anonymous temporary file, open and
    rewound (the caller closes it; ``FileResponse`` and ``File`` do).

    - ``applications``: any queryset of applications; they come in reference order.
    - ``mission``: the mission named on the contents page, or None for a selection across
      missions (each section names its own mission either way).
    - ``exported_by`` and ``now``: the stamp on every page, "Confidentiel — exporté par
      <exported_by> le <now>", in the active language and the site's time zone.
    - ``redactions``: what the reader does not see (``Redactions.of_link`` for a partner):
      such a field appears nowhere in the PDF; with ``documents``, neither the CV and
      letter nor their names.
    - ``staff_sections``: False leaves out staff notes, staff reviews and partner opinions
      (a partner's download).

    Written in the active language (``translation.override`` around the call to choose).
    """
    stamp = stamp_text(exported_by, now)
    with tempfile.TemporaryDirectory(prefix="dossier-") as folder:
        workdir = Path(folder)
        overlay = stamp_page(stamp, workdir)
        parts = [
            candidate_part(application, index, workdir, stamp, overlay, redactions, staff_sections)
            for index, application in enumerate(
                dossier_queryset(applications, staff_sections=staff_sections).iterator(
                    chunk_size=CHUNK
                )
            )
        ]
        return assembled(parts, workdir, mission=mission, stamp=stamp)


def stamp_text(exported_by: str, now: dt.datetime) -> str:
    local = timezone.localtime(now)
    when = _("%(date)s à %(time)s") % {
        "date": long_date(local.date()),
        "time": formats.time_format(local.time(), "H:i"),
    }
    return _("Confidentiel — exporté par %(name)s le %(date)s") % {
        "name": exported_by,
        "date": when,
    }


def candidate_part(
    application: Application,
    index: int,
    workdir: Path,
    stamp: str,
    overlay: PageObject,
    redactions: Redactions,
    staff_sections: bool,
) -> Part:
    """One candidate's section and documents, stamped, in a PDF file of their own."""
    folder = workdir / f"candidate-{index}"
    folder.mkdir()
    content = section(application, redactions, staff_sections=staff_sections)
    appendices = [appendix(document, folder) for document in content.documents]
    context = {
        "stamp": stamp,
        "language": get_language() or "fr",
        "section": content,
        "mission": application.mission,
        "appendices": appendices,
        "staff_sections": staff_sections,
    }
    section_pdf = folder / "section.pdf"
    render("candidate.html", context, section_pdf)
    writer = PdfWriter()
    writer.append(section_pdf)
    for item in appendices:
        if item.pdf is not None:
            append_stamped(writer, item.pdf, overlay)
    path = workdir / f"candidate-{index}.pdf"
    with path.open("wb") as target:
        writer.write(target)
    part = Part(application.reference or str(application.pk), content.name, path, len(writer.pages))
    part.attachments = attachments(part.reference, appendices)
    writer.close()
    return part


def attachments(reference: str, appendices: Iterable[Appendix]) -> list[tuple[str, Path]]:
    """The files joined to the PDF as sent, since their pages could not be shown."""
    return [
        (f"{reference}_{item.document.kind}{item.document.extension}", item.original)
        for item in appendices
        if item.pdf is None and item.original is not None
    ]


def assembled(
    parts: list[Part], workdir: Path, *, mission: Mission | None, stamp: str
) -> IO[bytes]:
    """The parts in one PDF: a contents page first when there are several, a bookmark per
    candidate, the unreadable documents attached."""
    writer = PdfWriter()
    if len(parts) > 1:
        writer.append(contents(parts, workdir, mission=mission, stamp=stamp))
    for part in parts:
        writer.append(part.path, outline_item=f"{part.reference} – {part.name}")
        for name, path in part.attachments:
            writer.add_attachment(name, path.read_bytes())
    title = _("Dossier de candidatures")
    writer.add_metadata({"/Title": f"{title} {mission.reference}" if mission else title})
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- returned open, for the caller to close
    writer.write(target)
    writer.close()
    target.seek(0)
    return target


def contents(parts: list[Part], workdir: Path, *, mission: Mission | None, stamp: str) -> Path:
    """The contents page(s): each candidate with the page their section starts on. Rendered
    again if numbering the pages changed how many pages the contents take."""
    path = workdir / "contents.pdf"
    length = 1
    for _attempt in range(3):
        start, rows = length + 1, []
        for part in parts:
            rows.append((part.reference, part.name, start))
            start += part.pages
        context = {"stamp": stamp, "mission": mission, "rows": rows, "language": get_language()}
        rendered = render("contents.html", context, path)
        if rendered == length:
            break
        length = rendered
    return path
