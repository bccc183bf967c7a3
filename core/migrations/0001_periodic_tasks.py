from django.db import migrations

from core.periodic_tasks import periodic_tasks_migration


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    # The defaults of periodic_tasks.DEFAULTS when beat stopped installing them. On a site
    # where beat had already installed them, every row exists and nothing changes. A default
    # added later gets a migration of its own naming it (core/tests/test_periodic_tasks.py
    # checks that each one is named by a migration).
    periodic_tasks = (
        "outbox-sweep",
        "draft-reminders",
        "training-reminders",
        "staff-digests",
        "retention",
        "document-sweep",
    )

    operations = [
        migrations.RunPython(periodic_tasks_migration(periodic_tasks), migrations.RunPython.noop)
    ]
