from django.db import migrations

from core.periodic_tasks import periodic_tasks_migration


class Migration(migrations.Migration):
    dependencies = [("core", "0004_search_catch_up")]

    # The dashboard's counters flush and weekly digest, added to periodic_tasks.DEFAULTS.
    periodic_tasks = ("page-counters", "weekly-staff-digest")

    operations = [
        migrations.RunPython(periodic_tasks_migration(periodic_tasks), migrations.RunPython.noop)
    ]
