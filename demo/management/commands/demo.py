"""manage.py demo: the real posting 3S1284 and sample missions; running it twice changes nothing."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from missions import services
from volunteers.services import demo_staff_ensure

DEMO_DIR = Path(__file__).resolve().parents[2] / "data"
PROGRAMMES = {
    "v-francophonie": "V-Francophonie",
    "milango-espace-francophonie": "Milango Espace Francophonie",
}
PARTNERS = {
    "ess-france-outre-mer": "ESS France Outre-mer",
    "comdev-africa": "COMDEV Africa",
    "cress-mayotte": "CRESS Mayotte",
}
STAFF_EMAIL = "staff@volontiers.example"
STAFF_PASSWORD = "volontiers-demo"  # noqa: S105 -- a published demo login, refused when DEBUG=0


def relative_dates(record: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Sample missions give their dates as offsets from today, so they are open when loaded."""
    record = dict(record)
    deadline = today + dt.timedelta(days=record.pop("deadline_in_days"))
    training = today + dt.timedelta(days=record.pop("training_in_days"))
    record["deadline_date"] = deadline
    record["start_date"] = today + dt.timedelta(days=record.pop("start_in_days"))
    record["training_start"] = training
    record["training_end"] = training + dt.timedelta(days=4)
    record["published_on"] = today - dt.timedelta(days=record.pop("published_days_ago"))
    return record


class Command(BaseCommand):
    help = "Load the real posting 3S1284 and sample missions (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-staff",
            action="store_true",
            help=f"Also create the demo staff account {STAFF_EMAIL} (development only).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        real = json.loads((DEMO_DIR / "3S1284.json").read_text())
        samples = json.loads((DEMO_DIR / "samples.json").read_text())
        today = timezone.localdate()
        services.directory_load(programmes=PROGRAMMES, partners=PARTNERS)
        created = 0
        for record in real:
            created += services.mission_load(record=record, keep_dates_while_open=False)
        for record in samples:
            created += services.mission_load(
                record=relative_dates(record, today), keep_dates_while_open=True
            )
        total = len(real) + len(samples)
        self.stdout.write(f"Missions: {created} created, {total - created} already present.")
        if options["with_staff"]:
            self.ensure_staff()

    def ensure_staff(self) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo staff account is for development only (DEBUG=1).")
        created = demo_staff_ensure(email=STAFF_EMAIL, password=STAFF_PASSWORD)
        state = "created" if created else "already present"
        self.stdout.write(f"Demo staff account ({state}): {STAFF_EMAIL} / {STAFF_PASSWORD}")
