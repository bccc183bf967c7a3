"""manage.py install_periodic_tasks: create the default periodic tasks that are missing.

Migrations install the defaults once; this brings back one deleted since (or one a
migration skipped). It never changes a task that exists, edited or disabled.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from core import periodic_tasks
from core.periodic_tasks import periodic_tasks_install


class Command(BaseCommand):
    help = (
        "Create the default periodic tasks (periodic_tasks.DEFAULTS) that have no row; "
        "existing tasks, edited or disabled, are left as they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = periodic_tasks_install(apps, names=periodic_tasks.DEFAULTS)
        if created:
            self.stdout.write(f"Periodic tasks created: {', '.join(created)}.")
        else:
            self.stdout.write("Periodic tasks: every default exists, nothing created.")
