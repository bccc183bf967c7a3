"""Shortlist exports: one row generator, shared writers for CSV (streamed), XLSX and ZIP.

Rows come from ``shortlist_rows`` (a header, then one row per application, read
in chunks); the writers never hold all rows: CSV is streamed, XLSX and ZIP are
written to an anonymous temporary file. Formula-like cells are neutralised in
the writers, once, for every export.
"""

import csv
import datetime as dt
import json
import re
import shutil
import tempfile
import unicodedata
import zipfile
import zoneinfo
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from applications.models import ApplicationDocument, ApplicationQuerySet, Stage
from missions.eligibility import Severity, age_on, render_message
from volunteers.models import EducationLevel

Cell = str | int | float | Decimal | dt.date | None
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Width of each column in the XLSX, in characters, in the order of ``header``.
WIDTHS = (14, 18, 16, 30, 18, 24, 20, 10, 30, 10, 24, 14, 12, 10, 40, 50)


def header() -> list[str]:
    return [
        _("Référence"),
        _("Nom"),
        _("Prénom"),
        _("E-mail"),
        _("Téléphone"),
        _("Nationalités"),
        _("Pays de résidence"),
        _("Âge au début de la mission"),
        _("Formation"),
        _("Années d'expérience"),
        _("Langues"),
        _("Étape"),
        _("Envoyée le"),
        _("Note moyenne"),
        _("Remarques d'éligibilité"),
        _("Lien dans l'administration"),
    ]


COLUMNS = (
    "pk", "reference", "stage", "submitted_at", "profile", "eligibility", "mission__start_date",
    "avg_score",
)  # fmt: skip


def shortlist_rows(queryset: ApplicationQuerySet) -> Iterator[list[Cell]]:
    """The header, then one row per application, read in chunks as plain values (no models)."""
    yield list(header())
    row = RowMaker()
    values = queryset.with_average_score().order_by("reference").values_list(*COLUMNS)
    for record in values.iterator(chunk_size=2000):
        yield row(*record)


class RowMaker:
    """Turns one application's values into a row; labels and names are looked up once."""

    def __init__(self) -> None:
        self.stages = {value: str(label) for value, label in Stage.choices}
        self.education = {value: str(label) for value, label in EducationLevel.choices}
        self.countries: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        # One reverse() for the whole export: the admin address with the id left to fill in.
        self.admin_url = settings.SITE_URL + reverse(
            "admin:applications_application_change", args=[0]
        ).replace("/0/", "/{}/")

    def country(self, code: str) -> str:
        if code not in self.countries:
            self.countries[code] = str(countries.name(code)) if code else ""
        return self.countries[code]

    def note(self, finding: dict[str, Any]) -> str:
        key = json.dumps(finding, sort_keys=True)
        if key not in self.notes:
            self.notes[key] = render_message(finding["code"], finding["params"])
        return self.notes[key]

    def __call__(self, pk: int, reference: str, stage: str, submitted_at: dt.datetime | None,
                 profile: dict[str, Any], eligibility: dict[str, Any], start: dt.date,
                 score: Decimal | None) -> list[Cell]:  # fmt: skip
        birth = profile.get("birth_date")
        findings = eligibility.get("findings", [])
        education = self.education.get(profile.get("education_level", ""), "")
        return [
            reference,
            profile.get("last_name", ""),
            profile.get("first_name", ""),
            profile.get("email", ""),
            profile.get("phone", ""),
            ", ".join(self.country(code) for code in profile.get("nationalities", [])),
            self.country(profile.get("residence", "")),
            age_on(dt.date.fromisoformat(birth), start) if birth else None,
            " – ".join(part for part in (education, profile.get("education_field", "")) if part),
            profile.get("experience_years"),
            ", ".join(
                f"{code} {lvl}" for code, lvl in sorted(profile.get("languages", {}).items())
            ),
            self.stages.get(stage, stage),
            local_date(submitted_at),
            round(float(score), 2) if score is not None else None,
            " ; ".join(self.note(f) for f in findings if f["severity"] == Severity.NOTE),
            self.admin_url.format(pk),
        ]


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date() if moment else None


def is_formula_like(value: Cell) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_safe(value: Cell) -> str:
    """A cell as CSV text; one a spreadsheet would read as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if is_formula_like(value) else text


class _Echo:
    """A file-like object that hands back what csv.writer writes (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Cell]], *, delimiter: str = ",") -> Iterator[str]:
    """CSV lines one by one, after a BOM so that Excel reads UTF-8 accents correctly."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([csv_safe(value) for value in row])


def xlsx_write(rows: Iterable[list[Cell]], target: IO[bytes], *, title: str) -> int:
    """Rows into an XLSX (write-only: flat memory); styled, frozen header; returns data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0A3D91")
    count = -1
    for count, row in enumerate(rows):
        if count == 0:
            sheet.append([header_cell(sheet, value, bold, fill) for value in row])
        else:
            # Plain values are fastest; only a formula-like string needs a cell marked as text.
            sheet.append([text_cell(sheet, v) if is_formula_like(v) else v for v in row])
    workbook.save(target)
    return max(count, 0)


def header_cell(sheet: Any, value: Cell, bold: Font, fill: PatternFill) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font, cell.fill = bold, fill
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def text_cell(sheet: Any, value: Cell) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text, never a formula
    return cell


def xlsx_file(queryset: ApplicationQuerySet, *, title: str) -> IO[bytes]:
    """The XLSX in an anonymous temporary file, rewound, deleted when closed."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to FileResponse, which closes it
    xlsx_write(shortlist_rows(queryset), target, title=title)
    target.seek(0)
    return target


def zip_file(queryset: ApplicationQuerySet, *, title: str) -> IO[bytes]:
    """Each candidate's CV and letter, plus the XLSX, in a temporary ZIP file."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to FileResponse, which closes it
    documents = (
        ApplicationDocument.objects.filter(application__in=queryset)
        .select_related("application")
        .order_by("application__reference", "kind")
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in documents.iterator(chunk_size=500):
            with (
                document.file.open("rb") as source,
                archive.open(archive_name(document), "w") as entry,
            ):
                shutil.copyfileobj(source, entry, 1024 * 1024)
        with archive.open(f"{title}.xlsx", "w") as entry, tempfile.TemporaryFile() as sheet:
            xlsx_write(shortlist_rows(queryset), sheet, title=title)
            sheet.seek(0)
            shutil.copyfileobj(sheet, entry, 1024 * 1024)
    target.seek(0)
    return target


def archive_name(document: ApplicationDocument) -> str:
    """<reference>_<LASTNAME>_<Firstname>_CV.pdf, in plain characters."""
    profile = document.application.profile or {}
    kind = "CV" if document.kind == ApplicationDocument.Kind.CV else "Lettre"
    parts = [
        document.application.reference or str(document.application.pk),
        plain(profile.get("last_name", "")).upper(),
        plain(profile.get("first_name", "")).title(),
        kind,
    ]
    return "_".join(part for part in parts if part) + document.extension


def plain(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:40]


def export_filename(*, mission_reference: str | None, extension: str, today: dt.date) -> str:
    stem = f"candidatures_{mission_reference}" if mission_reference else "candidatures"
    return f"{stem}_{today.isoformat()}.{extension}"
