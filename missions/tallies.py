"""Counting for the dashboard: add to a mission's counts of the day (``missions.models.stats``).

One statement per call, an upsert (``INSERT … ON CONFLICT … DO UPDATE``): two transactions
counting the same event at once both count. Callers count inside the transaction that makes
the change, so a rolled-back submission counts nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from missions.models import StageTime, Tally

# (event, detail): what happened, and the rule, stage or country it is about ("" if none).
Count = tuple[str, str]


def local_day(at: dt.datetime) -> dt.date:
    """The day an event counts on: in the site's time zone, as the dashboard's periods are."""
    return timezone.localtime(at, timezone.get_default_timezone()).date()


def tally_add(*, mission_id: int, at: dt.datetime, counts: Iterable[Count], times: int = 1) -> None:
    """Add ``times`` to each (event, detail) of the mission on the day of ``at``."""
    rows = [(mission_id, local_day(at), event, detail[:40], times) for event, detail in counts]
    if rows:
        _upsert(Tally._meta.db_table, ("mission_id", "day", "event", "detail"), rows)


def tallies_add(rows: Iterable[tuple[int, dt.date, str, str, int]]) -> None:
    """Add many counts at once: (mission id, day, event, detail, how many)."""
    _upsert_many(Tally._meta.db_table, ("mission_id", "day", "event", "detail"), rows)


def stage_times_add(rows: Iterable[tuple[int, dt.date, str, int, int]]) -> None:
    """Add many stage times at once: (mission id, day, stage, days in it, how many)."""
    _upsert_many(StageTime._meta.db_table, ("mission_id", "day", "stage", "days"), rows)


def stage_time_row(
    *, mission_id: int, stage: str, since: dt.datetime, at: dt.datetime
) -> tuple[int, dt.date, str, int, int]:
    """An application left ``stage`` at ``at``, having entered it at ``since``."""
    return (mission_id, local_day(at), stage, max((at - since).days, 0), 1)


# A row to add: its key's values (mission id, day, then event and detail, or stage and days),
# and how many to add.
Row = tuple[Any, ...]


def _upsert_many(table: str, key: tuple[str, ...], rows: Iterable[Row]) -> None:
    merged = _merged(rows)
    for start in range(0, len(merged), 500):
        _upsert(table, key, merged[start : start + 500])


def _merged(rows: Iterable[Row]) -> list[Row]:
    """Equal keys added up (one statement may not touch a row twice), in key order: two
    transactions counting the same rows then lock them in the same order, never in a cycle."""
    merged: dict[Row, int] = {}
    for row in rows:
        merged[row[:-1]] = merged.get(row[:-1], 0) + int(row[-1])
    return [(*row_key, n) for row_key, n in sorted(merged.items())]


def _upsert(table: str, key: tuple[str, ...], rows: Sequence[Row]) -> None:
    rows = _merged(rows)
    if not rows:
        return
    columns = ", ".join((*key, "count"))
    values = ", ".join(["(" + ", ".join(["%s"] * (len(key) + 1)) + ")"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608 -- names are ours
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET count = {table}.count + EXCLUDED.count"
    )
    params: list[Any] = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
