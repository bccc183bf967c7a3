from django.db import migrations

from core.periodic_tasks import periodic_tasks_migration


class Migration(migrations.Migration):
    dependencies = [("core", "0002_interview_reminders")]

    # The alerts' digests, added to periodic_tasks.DEFAULTS after the first defaults.
    periodic_tasks = ("alert-digests",)

    operations = [
        migrations.RunPython(periodic_tasks_migration(periodic_tasks), migrations.RunPython.noop)
    ]
