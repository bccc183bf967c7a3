"""Rows written with PostgreSQL's COPY (psycopg 3's ``cursor.copy()``), for the benchmark's
seeds: a million applications through ``bulk_create`` took most of ten minutes (Django building
an instance and preparing each field of four million rows, then composing INSERTs that
PostgreSQL parses again).

The caller gives plain rows of database values (str, int, dates, JSON already as text) for
the columns it names; every other column takes the value ``bulk_create`` would give an instance
made with no argument (its default, ``auto_now`` dates: now). The primary keys a caller needs
(to refer to the rows) are reserved from the table's sequence first (``ids_reserve``); without
an ``id`` column the table's identity gives them. No signal is sent, as with ``bulk_create``.
PostgreSQL only (``connection.vendor``).
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import Model


def ids_reserve(model: type[Model], count: int) -> range:
    """``count`` consecutive primary keys from the table's sequence, which then moves past."""
    if count <= 0:
        return range(0)
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(s, nextval(s) + %s - 1) FROM pg_get_serial_sequence(%s, %s) AS s",
            [count, meta.db_table, meta.pk.column],
        )
        last = int(cursor.fetchone()[0])
    return range(last - count + 1, last + 1)


def rows_copy(model: type[Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows``, each the values of the fields ``names`` (attnames: ``mission_id``), in
    one COPY; the other columns take an empty instance's values."""
    meta = model._meta
    by_column = {field.attname: field for field in meta.local_concrete_fields}
    given = [by_column[name] for name in names]
    blank = model()
    rest = [
        field
        for field in meta.local_concrete_fields
        if field not in given and not (field.primary_key and "id" not in names)
    ]
    defaults = [field.get_db_prep_save(field.pre_save(blank, True), connection) for field in rest]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in [*given, *rest])
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, *defaults))


@contextmanager
def bulk_load(*models: type[Model]) -> Iterator[None]:
    """A transaction for loading many rows into the models' tables: their secondary indexes
    (those no constraint needs) dropped first and built again at the end, in one sort each
    rather than a million insertions each (the applications have twenty); the foreign keys
    not checked row by row when the role may skip them (the loaded rows refer to keys the
    same load reserved or read); memory for the sorts. All of it undone if the load fails."""
    tables = [model._meta.db_table for model in models]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        for _name, definition in indexes:
            cursor.execute(definition)
