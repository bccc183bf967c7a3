"""manage.py purge_orphan_files: delete stored documents that no row refers to any more."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from applications.models import ApplicationDocument
from volunteers.models import Volunteer

FOLDERS = ("applications", "cv")


def stored_files(storage: Storage, folder: str) -> Iterator[str]:
    if not storage.exists(folder):
        return
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from stored_files(storage, f"{folder}/{directory}")


class Command(BaseCommand):
    help = (
        "Delete candidates' files that no application or profile refers to (after a grace period)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, do not delete.")
        parser.add_argument(
            "--grace-hours",
            type=int,
            default=24,
            help="Keep younger files: an upload may be in progress or kept for a form to resend.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        referenced = set(ApplicationDocument.objects.values_list("file", flat=True))
        referenced |= set(Volunteer.objects.exclude(cv="").values_list("cv", flat=True))
        cutoff = timezone.now() - dt.timedelta(hours=options["grace_hours"])
        orphans = [
            name
            for folder in FOLDERS
            for name in stored_files(default_storage, folder)
            if name not in referenced and default_storage.get_modified_time(name) < cutoff
        ]
        for name in orphans:
            if not options["dry_run"]:
                default_storage.delete(name)
        verb = "would delete" if options["dry_run"] else "deleted"
        self.stdout.write(f"Orphan files: {len(orphans)} {verb}.")
