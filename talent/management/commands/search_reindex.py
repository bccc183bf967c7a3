"""manage.py search_reindex: read every pending text and build every missing search profile
now (after the first deployment of staff search, say), rather than batch by batch."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from talent.catch_up import search_catch_up


class Command(BaseCommand):
    help = "Read the documents' pending texts and build the missing search profiles, all now."

    def handle(self, *args: Any, **options: Any) -> None:
        rebuilt = search_catch_up(now=timezone.now(), limit=None)
        self.stdout.write(f"Search profiles rebuilt: {rebuilt}.")
