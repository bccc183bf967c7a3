"""manage.py demo: the real posting 3S1284, sample missions with their own questions, people
using them (candidates at every stage, staff who reviewed them, a coordinator) and the
dashboard's past (``demo.stats``); running it twice changes nothing."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application, Stage
from demo.candidates import candidates_ensure
from demo.interviews import interviews_ensure, training_ensure
from demo.partners import partner_link_url, partners_ensure
from demo.people import COORDINATED_MISSION, coordinator_ensure, demo_addresses, staff_ensure
from demo.questions import questions_ensure
from demo.reset import people_remove
from demo.stats import HISTORY_DAYS, history_ensure
from missions import services
from missions.models import Mission
from volunteers.services import demo_password_ensure, demo_staff_ensure

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
# The coordinator's account is made by every run (exports are logged in its name); it gets
# this published password, like the staff account, only with --with-staff under DEBUG=1.
COORDINATOR_PASSWORD = STAFF_PASSWORD


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
    help = (
        "Load the real posting 3S1284, sample missions, sample candidates at every stage, "
        "their reviewers and a coordinator (idempotent); --reset removes the sample people."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-staff",
            action="store_true",
            help=f"Also give the demo staff ({STAFF_EMAIL}) and coordinator logins (DEBUG only).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the sample candidates, staff, coordinator and all they made; "
            "missions and every other account stay.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            removed = people_remove(addresses=demo_addresses())
            self.stdout.write(
                "Demo people removed: {accounts} accounts, {applications} applications, "
                "{messages} e-mails.".format(**removed)
            )
            return
        if options["with_staff"] and not settings.DEBUG:
            raise CommandError("The demo logins are for development only (DEBUG=1).")
        now = timezone.now()
        references = self.load_missions()
        self.load_people(now)
        self.load_history(references, now)
        if options["with_staff"]:
            self.ensure_staff()
            self.ensure_coordinator_login()
            self.print_addresses()

    def load_missions(self) -> list[str]:
        """Load the missions; returns their references."""
        real = json.loads((DEMO_DIR / "3S1284.json").read_text())
        samples = json.loads((DEMO_DIR / "samples.json").read_text())
        today = timezone.localdate()
        with transaction.atomic():
            services.directory_load(programmes=PROGRAMMES, partners=PARTNERS)
            created = 0
            for record in real:
                created += services.mission_load(record=record, keep_dates_while_open=False)
            for record in samples:
                created += services.mission_load(
                    record=relative_dates(record, today), keep_dates_while_open=True
                )
            questions = questions_ensure()
        total = len(real) + len(samples)
        self.stdout.write(f"Missions: {created} created, {total - created} already present.")
        self.stdout.write(f"Questions of the missions: {questions} created.")
        return [record["reference"] for record in [*real, *samples]]

    def load_people(self, now: dt.datetime) -> None:
        """Candidates and their stories (each story's writes are their own transactions:
        the services that store documents commit their files with their rows)."""
        staff = staff_ensure()
        created = candidates_ensure(staff=staff, now=now)
        coordinator_ensure()
        with transaction.atomic():
            mission = Mission.objects.get(reference=COORDINATED_MISSION)
            interviewers = [staff["manager"], staff["reviewer"]]
            booked = interviews_ensure(mission=mission, interviewers=interviewers, now=now)
            training_ensure(mission=mission)
            opinions = partners_ensure(mission=mission, manager=staff["manager"], now=now)
        stages = dict(
            Application.objects.filter(volunteer__user__email__in=demo_addresses())
            .values_list("stage")
            .annotate(count=Count("pk"))
            .order_by()
        )
        by_stage = ", ".join(f"{name} {stages[name]}" for name in Stage.values if name in stages)
        self.stdout.write(f"Sample candidates: {created} created; applications: {by_stage}.")
        self.stdout.write(f"Interviews of {COORDINATED_MISSION}: {booked} booked.")
        self.stdout.write(f"Partner opinions on {COORDINATED_MISSION}: {opinions} given.")

    def load_history(self, references: list[str], now: dt.datetime) -> None:
        """The dashboard's counts of the days before today, written again (after the stories,
        whose own counts of those days they replace)."""
        missions, events = history_ensure(references=references, now=now)
        self.stdout.write(
            f"Dashboard history: {events} events over up to {HISTORY_DAYS} days "
            f"of {missions} missions."
        )

    def ensure_staff(self) -> None:
        created = demo_staff_ensure(email=STAFF_EMAIL, password=STAFF_PASSWORD)
        state = "created" if created else "already present"
        self.stdout.write(f"Demo staff account ({state}): {STAFF_EMAIL} / {STAFF_PASSWORD}")

    def ensure_coordinator_login(self) -> None:
        user, _created = coordinator_ensure()
        given = demo_password_ensure(user=user, password=COORDINATOR_PASSWORD)
        state = "password set" if given else "already present"
        self.stdout.write(
            f"Demo coordinator account ({state}): {user.email} / {COORDINATOR_PASSWORD} "
            f"(mission {COORDINATED_MISSION})"
        )

    def print_addresses(self) -> None:
        site = settings.SITE_URL
        with translation.override(settings.LANGUAGE_CODE):
            pages = {
                "Catalogue": reverse("missions:list"),
                "An open mission": reverse("missions:detail", args=[COORDINATED_MISSION]),
                "Admin": reverse("admin:applications_application_changelist"),
                "Coordination": reverse("coordination:home"),
            }
        for label, path in pages.items():
            self.stdout.write(f"{label}: {site}{path}")
        mission = Mission.objects.get(reference=COORDINATED_MISSION)
        partner = partner_link_url(mission, now=timezone.now())
        if partner:
            self.stdout.write(
                f"A partner's review link (its code is e-mailed: see the console): {partner}"
            )
