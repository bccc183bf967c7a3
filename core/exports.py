"""The export writers: rows in, bytes out. Every export yields rows (a header, then one row
per record) and hands them to these; formula-like cells are neutralised here, once, for
every export: a leading quote in CSV, a text cell (never a formula) in XLSX."""

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any, TypeGuard

Cell = str | int | float | Decimal | dt.date | None
# First characters that make a spreadsheet read a cell as a formula (a set: "" is not in it).
FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))
# CSV text gathered before each write to the client: fewer, larger writes than a line each.
CSV_CHUNK_CHARS = 64 * 1024


def csv_stream(rows: Iterable[list[Cell]], *, delimiter: str = ",") -> Iterator[str]:
    """CSV text in chunks, after a BOM so that Excel reads UTF-8 accents correctly.

    The csv module writes None as empty and a date as ISO text; the one check per cell is the
    formula test, inline, since a function call per cell was a third of the export's time.
    """
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(
            [f"'{v}" if isinstance(v, str) and v[:1] in FORMULA_STARTS else v for v in row]
        )
        if buffer.tell() >= CSV_CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_write(
    rows: Iterable[list[Cell]], target: IO[bytes], *, title: str, widths: Sequence[int] = ()
) -> int:
    """Rows into an XLSX with a styled, frozen header (columns ``widths`` characters wide);
    returns the number of data rows.

    XlsxWriter in ``constant_memory`` mode writes each row out as soon as the next begins
    (flat memory, strings inline). A string is always text: "=1+2", "+33 6…", "-5" or "@x"
    never become a formula (``strings_to_formulas``) and an address never becomes a link
    (``strings_to_urls``: a regular expression per cell, a fifth of the time). Control
    characters pasted into a profile, which XML cannot carry, are kept as Excel keeps them
    (``_x0007_``). An empty string or None is no cell at all.

    Imported here, by the first export, rather than by every web worker at start.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            # Excel's built-in short date (format 14): shown in the reader's own order.
            "default_date_format": 14,
        },
    )
    sheet = workbook.add_worksheet(title[:31])
    sheet.freeze_panes(1, 0)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    header_format = workbook.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": "#0A3D91", "pattern": 1,
         "text_wrap": True, "valign": "top"}
    )  # fmt: skip
    count = -1
    for count, row in enumerate(rows):
        if count and any(map(rich_text_like, row)):
            write_as_text(sheet, count, row)
        else:
            sheet.write_row(count, 0, row, header_format if count == 0 else None)
    workbook.close()
    return max(count, 0)


def write_as_text(sheet: Any, row_number: int, row: list[Cell]) -> None:
    """A row holding "<r>…</r>", which XlsxWriter would copy into the file unescaped as
    formatted text (a name typed as XML could break the file or add cells): such a value is
    written in three escaped parts, which read back as the same text (except a control
    character or a literal "_x0041_" inside it, which XlsxWriter escapes twice then)."""
    for column, value in enumerate(row):
        if rich_text_like(value):
            sheet.write_rich_string(row_number, column, value[:1], value[1:2], value[2:])
        else:
            sheet.write(row_number, column, value)


def rich_text_like(value: Cell) -> TypeGuard[str]:
    """What XlsxWriter takes for its own formatted-text XML (and copies unescaped)."""
    return isinstance(value, str) and value.startswith("<r>") and value.endswith("</r>")


def xlsx_tempfile(
    rows: Iterable[list[Cell]], *, title: str, widths: Sequence[int] = ()
) -> IO[bytes]:
    """The XLSX in an anonymous temporary file, rewound, deleted when closed."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to FileResponse, which closes it
    xlsx_write(rows, target, title=title, widths=widths)
    target.seek(0)
    return target
