from django.db import migrations

from core.periodic_tasks import periodic_tasks_migration


class Migration(migrations.Migration):
    dependencies = [("core", "0003_alert_digests")]

    # Staff search's catch-up (talent.catch_up), added to periodic_tasks.DEFAULTS.
    periodic_tasks = ("search-catch-up",)

    operations = [
        migrations.RunPython(periodic_tasks_migration(periodic_tasks), migrations.RunPython.noop)
    ]
