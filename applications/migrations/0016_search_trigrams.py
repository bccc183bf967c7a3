"""Trigram indexes for the admin's search of the applications (review/admin/search.py): a
word anywhere in a reference, a candidate's names or e-mail address (Django's ``icontains``:
``UPPER(column) LIKE '%WORD%'``) found through an index, not by reading a million rows.

PostgreSQL only (another database has no pg_trgm: nothing is done there). Built
CONCURRENTLY, so outside a transaction: the tables stay writable while a big one is indexed.
"""

from django.db import migrations

INDEXES = {
    "application_reference_trgm": ("applications_application", "reference"),
    "volunteer_last_name_trgm": ("volunteers_volunteer", "last_name"),
    "volunteer_first_name_trgm": ("volunteers_volunteer", "first_name"),
    "user_email_trgm": ("volunteers_user", "email"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("applications", "0015_export_language"),
        ("volunteers", "0006_volunteer_cv_text"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
