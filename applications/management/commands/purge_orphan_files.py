"""manage.py purge_orphan_files: the daily document sweep, by hand (see orphan_documents_sweep)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from applications.documents import orphan_documents_sweep


class Command(BaseCommand):
    help = (
        "Delete candidates' files that no application or profile refers to (after a grace "
        "period: a session's life and a day unless --grace-hours is given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, do not delete.")
        parser.add_argument(
            "--grace-hours",
            type=int,
            default=None,
            help="Keep younger files: an upload may be in progress or kept for a form to resend.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["grace_hours"]
        orphans = orphan_documents_sweep(
            now=timezone.now(),
            grace=None if hours is None else dt.timedelta(hours=hours),
            seconds=None,  # by hand: the whole storage, however long it takes
            dry_run=options["dry_run"],
        )
        verb = "would delete" if options["dry_run"] else "deleted"
        self.stdout.write(f"Orphan files: {len(orphans)} {verb}.")
