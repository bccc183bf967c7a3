"""Seed the ceiling's database: organisations, missions, applications and the superuser `bench`.

Wipes the board's tables first and restarts their ids at 1, so that /missions/17/ is the same
mission after every seed. The same seed gives the same rows.
"""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from board.models import Application, Mission, Organisation, Submission

VOCABULARY = (
    "community garden food bank literacy tutoring elderly care shelter animal rescue beach "
    "translation refugee support mentoring coding club library festival logistics first aid "
    "youth sport environment recycling fundraising events hospital visits homework repair cafe"
)
WORDS = VOCABULARY.split()
CITIES = ["Lyon", "Dakar", "Lomé", "Rabat", "Cotonou", "Port-Vila", "Phnom Penh", "Remote"]
STATUSES = ["new", "new", "new", "shortlisted", "rejected"]
START = datetime(2025, 1, 1, tzinfo=UTC)


class Command(BaseCommand):
    help = "Seed the ceiling: 1,000 missions and 50,000 applications by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=50)
        parser.add_argument("--missions", type=int, default=1000)
        parser.add_argument("--applications", type=int, default=50000)

    @transaction.atomic
    def handle(self, *args: Any, **options: int) -> None:
        rng = random.Random(42)  # noqa: S311 -- sample data, not secrets

        def words(count: int) -> str:
            return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize()

        models = [Submission, Application, Mission, Organisation]
        with connection.cursor() as cursor:
            tables = ", ".join(model._meta.db_table for model in models)
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Association {n:03d} {words(1)}")
            for n in range(options["organisations"])
        )
        missions = Mission.objects.bulk_create(
            (
                Mission(
                    organisation=rng.choice(organisations),
                    title=words(5),
                    location=rng.choice(CITIES),
                    summary=words(20)[:300],
                    description="\n\n".join(words(40) + "." for _ in range(5)),
                    created_at=START + timedelta(minutes=37 * n),
                )
                for n in range(options["missions"])
            ),
            batch_size=1000,
        )
        Application.objects.bulk_create(
            (
                Application(
                    mission=rng.choice(missions),
                    full_name=f"Volunteer {n:06d}",
                    email=f"volunteer{n:06d}@example.org",
                    cover_letter=f"letters/{n:06d}.pdf",
                    cv=f"cvs/{n:06d}.pdf",
                    status=rng.choice(STATUSES),
                    created_at=START + timedelta(seconds=613 * n),
                )
                for n in range(options["applications"])
            ),
            batch_size=5000,
        )
        if not User.objects.filter(username="bench").exists():
            User.objects.create_superuser("bench", "bench@example.org", "bench-password")
        self.stdout.write(
            f"ceiling: {len(missions)} missions, {options['applications']} applications"
        )
