from django.db import migrations

from core.periodic_tasks import periodic_tasks_migration


class Migration(migrations.Migration):
    dependencies = [("core", "0005_dashboard")]

    # The webhooks' sweep, added to periodic_tasks.DEFAULTS.
    periodic_tasks = ("webhook-sweep",)

    operations = [
        migrations.RunPython(periodic_tasks_migration(periodic_tasks), migrations.RunPython.noop)
    ]
