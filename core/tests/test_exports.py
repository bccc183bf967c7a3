"""The CSV and XLSX writers (core.exports): odd values, formulas kept as text, flat memory."""

import datetime as dt
import tempfile
import tracemalloc
from decimal import Decimal

import openpyxl

from core import exports as writers


def test_odd_values_round_trip_through_the_xlsx_and_formulas_stay_text(tmp_path):
    texts = ["   ", " lead", "a & b < c > d", "=1+2", "+33 6", "-5", "@SUM(A1)", "line\nbreak",
             "é – ü 中文 😀", "#N/A", "x" * 30000,
             '<r>x</r>', '<r><t>1</t></r><c r="Z9"><v>6</v></c><r><t>2</t></r>']  # fmt: skip
    others = [0, -1, 3.14159, Decimal("4.50"), dt.date(2026, 11, 21), None, "après None"]
    rows = [["Référence"], texts, others]
    with (tmp_path / "ours.xlsx").open("wb") as target:
        assert writers.xlsx_write(iter(rows), target, title="t") == 2

    sheet = openpyxl.load_workbook(tmp_path / "ours.xlsx").active
    read = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert read[0] == texts
    assert read[1][:3] == [0, -1, 3.14159] and read[1][3] == 4.5
    assert read[1][4].date() == dt.date(2026, 11, 21) and read[1][5:7] == [None, "après None"]
    formula_like = [
        cell for cell in sheet[2] if isinstance(cell.value, str) and cell.value[:1] in "=+-@"
    ]
    assert len(formula_like) == 4 and {cell.data_type for cell in formula_like} == {"s"}


def xlsx_peak_memory(data_rows: int) -> int:
    """Peak Python memory while writing that many generated 16-column rows to an XLSX."""
    rows = (
        ["Référence"] * 16 if n == 0 else
        [f"REF-{n:06d}", "Lefèvre", "Françoise", f"c{n}@example.org", "+33 6 12 34 56 78",
         "France, Sénégal", "Belgique", 33, "Master – Droit", 3, "en C1, fr C2", "Soumise",
         dt.date(2026, 11, 21), 4.5, "", f"https://volontiers.example/admin/{n}/"]
        for n in range(data_rows + 1)
    )  # fmt: skip
    with tempfile.TemporaryFile() as target:
        tracemalloc.start()
        try:
            assert writers.xlsx_write(rows, target, title="t") == data_rows
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_the_xlsx_writer_memory_stays_flat_as_rows_grow():
    xlsx_peak_memory(10)  # imports and first-use caches out of the way
    small, large = xlsx_peak_memory(2_000), xlsx_peak_memory(20_000)

    assert large < 2_000_000 and large < small * 1.2 + 200_000


def test_the_csv_streams_the_bom_first_then_chunks_that_join_into_the_same_text(monkeypatch):
    monkeypatch.setattr(writers, "CSV_CHUNK_CHARS", 10)
    rows = [["a", "=b", None], [1, 2.5, dt.date(2026, 11, 21)], ["x;y", "-1", ""]]

    chunks = list(writers.csv_stream(iter(rows), delimiter=";"))

    assert chunks[0] == "\ufeff" and len(chunks) > 3
    assert "".join(chunks) == "\ufeffa;'=b;\r\n1;2.5;2026-11-21\r\n\"x;y\";'-1;\r\n"
