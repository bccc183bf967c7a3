"""manage.py seed_bench: realistic data for the benchmark, fast (bulk inserts).

1,000 missions and 50,000 applications take well under a minute on PostgreSQL;
``--applications 1000000`` works too. All applications go to the first mission,
B0001, mostly on the shortlist, so that its exports have that many rows. Adds a
staff account (bench-staff@example.org, coordinator of B0001) and a candidate
with a complete profile (bench-candidate@example.org) for the upload form.

``--spread`` seeds the dashboard's benchmark instead (``demo.spread``): deadlines over the
last year, applications spread over every mission and stage with their history, and the
dashboard's counts derived from them; programmes and a coordinator of twenty missions.
"""

import datetime as dt
import json
import random
import time
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from applications.models import Application, ExportLog, Stage
from applications.services import profile_snapshot
from demo import bench_pages, spread
from demo.profiles import profiles_clear, profiles_seed
from missions.models import Mission, Programme, end_of_day
from volunteers.models import User, Volunteer, VolunteerLanguage

PREFIX = "B"
DOMAIN = "@bench.example.org"  # the seeded candidates'
STAFF = "bench-staff@example.org"
CANDIDATE = "bench-candidate@example.org"
PASSWORD = "bench-password"  # noqa: S105 -- a benchmark account on a benchmark database
# Host countries, with a city and a time zone each.
PLACES = [
    ("BJ", "Cotonou", "Africa/Porto-Novo"),
    ("KH", "Phnom Penh", "Asia/Phnom_Penh"),
    ("MG", "Antananarivo", "Indian/Antananarivo"),
    ("MA", "Rabat", "Africa/Casablanca"),
    ("TG", "Lomé", "Africa/Lome"),
    ("VU", "Port-Vila", "Pacific/Efate"),
    ("SN", "Dakar", "Africa/Dakar"),
    ("TN", "Tunis", "Africa/Tunis"),
    ("CM", "Yaoundé", "Africa/Douala"),
    ("RW", "Kigali", "Africa/Kigali"),
]
FIRST = ["Awa", "Moussa", "Léa", "Françoise", "Ibrahima", "Chloé", "Koffi", "Inès", "Éloïse"]
LAST = ["Ndiaye", "Diallo", "Martin", "Lefèvre", "Traoré", "Rakoto", "Mensah", "Sow", "Dubois"]
TASKS = "Au sein de l'équipe :\n\n• Animer le réseau ;\n• Suivre les projets ;\n• Rendre compte."
SUMMARY = "Appui aux partenaires locaux de l'économie sociale et solidaire. " * 4
TASKS_EN = "Within the team:\n\n• Run the network;\n• Follow the projects;\n• Report."
STAGES = [Stage.SHORTLISTED] * 6 + [Stage.INTERVIEW] * 2 + [Stage.SELECTED, Stage.SUBMITTED]


def english(n: int) -> dict[str, str]:
    """A bench mission's English text."""
    return {
        "title_en": f"Project officer {n} – social economy cooperation",
        "region_en": "Africa",
        "application_subject_en": f"{PREFIX}{n:04d} – Project officer {n}",
        "summary_en": "Support to the local partners of the social and solidarity economy. " * 4,
        "tasks_en": TASKS_EN,
    }


class Command(BaseCommand):
    help = "Seed missions, candidates and applications for the benchmark (replaces old bench data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--missions", type=int, default=1000)
        parser.add_argument("--applications", type=int, default=50_000)
        parser.add_argument("--batch", type=int, default=5000)
        # The talent pool staff search reads (bench/search_bench.py): profiles with a CV's text.
        parser.add_argument("--profiles", type=int, default=0)
        # The dashboard's benchmark (bench/dashboard_bench.py): see the module's docstring.
        parser.add_argument("--spread", action="store_true")
        # Where to write the tokens of the pages behind a link (demo/bench_pages.py), as JSON.
        parser.add_argument("--tokens", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        rng = random.Random(1284)  # noqa: S311 -- reproducible fake data, not security
        self.clear()
        missions = self.seed_missions(options["missions"], rng, options["spread"])
        if options["spread"]:
            self.seed_spread(missions, options["applications"], options["batch"], rng)
        else:
            self.seed_applications(missions[0], options["applications"], options["batch"], rng)
        candidate = self.seed_accounts(missions[0])
        if not options["spread"] and len(missions) >= 8:
            self.seed_pages(missions, candidate, options["tokens"])
        profiles_clear()
        profiles_seed(count=options["profiles"], batch=options["batch"], rng=rng)
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would give a production database after a while:
            # without them the planner guesses two rows where there are thousands.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        if options["spread"]:  # printed by the benchmarks of this database (bench/admin_bench.py)
            spread.seed_time_record(seconds=elapsed, applications=options["applications"])
        self.stdout.write(
            f"Seeded {len(missions)} missions, {options['applications']} applications and "
            f"{options['profiles']} pool profiles "
            f"in {elapsed:.1f} s. Staff: {STAFF} / {PASSWORD}; candidate: {CANDIDATE}."
        )

    def clear(self) -> None:
        ExportLog.objects.filter(mission__reference__startswith=PREFIX).delete()
        spread.applications_clear(prefix=PREFIX)
        User.objects.filter(email__endswith=DOMAIN).delete()
        Mission.objects.filter(reference__startswith=PREFIX).delete()  # their counts with them
        Programme.objects.filter(slug__startswith=f"{PREFIX.lower()}-programme-").delete()

    def seed_missions(self, count: int, rng: random.Random, spread_dates: bool) -> list[Mission]:
        today = timezone.localdate()
        missions = []
        for n in range(1, count + 1):
            country, city, zone = PLACES[n % len(PLACES)]
            if spread_dates:
                deadline, published = spread.mission_dates(n, today, rng)
            else:
                # The first ten stay open: the benchmark applies to B0002.
                days = rng.randint(30, 120) if n <= 10 else rng.randint(-60, 120)
                deadline = today + dt.timedelta(days=days)
                published = deadline - dt.timedelta(days=40)
            missions.append(
                Mission(
                    reference=f"{PREFIX}{n:04d}",
                    title_fr=f"Chargé·e de mission {n} – coopération ESS",
                    status=Mission.Status.PUBLISHED,
                    region_fr="Afrique",
                    host_country=country,
                    city_fr=city,
                    time_zone=zone,
                    duration_months=12,
                    start_date=deadline + dt.timedelta(days=90),
                    published_on=published,
                    deadline_date=deadline,
                    deadline_at=end_of_day(deadline, zone),
                    contact_email="candidatures@example.org",
                    application_subject_fr=f"{PREFIX}{n:04d} – Chargé·e de mission {n}",
                    summary_fr="Appui aux partenaires locaux de l'économie sociale et solidaire. "
                    * 4,
                    tasks_fr=TASKS,
                    languages_required={"fr": "B2"},
                    min_experience_years=2,
                    # Every other mission in English too (B0002, the page measured): the
                    # English pages read both kinds, translated and French only.
                    **(english(n) if n % 2 == 0 else {}),
                )
            )
        return Mission.objects.bulk_create(missions, batch_size=1000)

    def seed_spread(
        self, missions: list[Mission], count: int, batch: int, rng: random.Random
    ) -> None:
        """Applications over every mission, with their history and the dashboard's counts."""
        spread.programmes_seed(missions, PREFIX)
        spread.coordinator_seed(missions)
        started = time.monotonic()
        # Candidates apply to several missions: fewer in a batch, as many applications.
        size = max(1, batch // spread.PER_VOLUNTEER)
        spread.applications_seed(missions=missions, count=count, batch=size, rng=rng, domain=DOMAIN)
        seeded = time.monotonic()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the counts' joins planned on the real sizes
                cursor.execute("ANALYZE applications_application, applications_stagechange")
        spread.counts_derive(prefix=PREFIX)
        self.stdout.write(
            f"Spread applications in {seeded - started:.1f} s, "
            f"dashboard counts in {time.monotonic() - seeded:.1f} s."
        )

    def seed_applications(
        self, mission: Mission, count: int, batch: int, rng: random.Random
    ) -> None:
        now = timezone.now()
        for start in range(0, count, batch):
            size = min(batch, count - start)
            with transaction.atomic():
                users = User.objects.bulk_create(
                    # "!" is Django's unusable password: these candidates cannot sign in.
                    User(email=f"c{start + k}{DOMAIN}", password="!")  # noqa: S106
                    for k in range(size)
                )
                volunteers = Volunteer.objects.bulk_create(
                    self.volunteer(user, rng) for user in users
                )
                Application.objects.bulk_create(
                    self.application(mission, volunteer, start + k + 1, now, rng)
                    for k, volunteer in enumerate(volunteers)
                )

    @staticmethod
    def volunteer(user: User, rng: random.Random) -> Volunteer:
        return Volunteer(
            user=user,
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            birth_date=dt.date(rng.randint(1970, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            nationalities=rng.choice(
                ["FR", "BE", "CA", "CH"]
            ),  # a CountryField(multiple) takes "FR"
            residence="FR",
            city="Lyon",
            phone="+33612345678",
            education_level="bac5",
            education_field="Développement international",
            experience_years=rng.randint(0, 12),
            consent_at=timezone.now(),
            consent_version=settings.PRIVACY_NOTICE_VERSION,
        )

    @staticmethod
    def application(
        mission: Mission, volunteer: Volunteer, number: int, now: dt.datetime, rng: random.Random
    ) -> Application:
        notes = []
        if volunteer.experience_years < 2:
            notes = [
                {
                    "code": "experience_below",
                    "severity": "note",
                    "legal_basis": "Règles de candidature de la mission",
                    "params": {"years": volunteer.experience_years, "required": 2},
                }
            ]
        return Application(
            volunteer=volunteer,
            mission=mission,
            number=number,
            reference=f"{mission.reference}-{number:06d}",
            stage=STAGES[number % len(STAGES)],  # exactly 9 in 10 on the shortlist
            submitted_at=now - dt.timedelta(minutes=number),
            eligibility={
                "eligible": True,
                "rules_version": "bench",
                "evaluated_at": now.isoformat(),
                "findings": notes,
            },
            profile=profile_snapshot(volunteer, languages={"fr": "native", "en": "B2"}),
        )

    def seed_pages(self, missions: list[Mission], candidate: Volunteer, tokens: str) -> None:
        """The bench candidate's applications, an interview invitation, a partner link."""
        bench_pages.candidate_applications(candidate, missions[2:7], minimal_pdf())
        invited = Volunteer.objects.filter(user__email__endswith=DOMAIN).first()
        found = {"interview": bench_pages.interview_token(missions[2], invited or candidate)}
        found["partner"], found["partner-session"] = bench_pages.partner_session(
            missions[0], User.objects.get(email=STAFF)
        )
        if tokens:
            Path(tokens).write_text(json.dumps(found, indent=1) + "\n")

    def seed_accounts(self, mission: Mission) -> Volunteer:
        User.objects.filter(email__in=[STAFF, CANDIDATE]).delete()
        staff = User.objects.create_superuser(email=STAFF, password=PASSWORD)
        mission.coordinators.add(staff)
        candidate = User.objects.create_user(email=CANDIDATE, password=PASSWORD)
        for user in (staff, candidate):
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        volunteer = Volunteer.objects.create(
            user=candidate,
            first_name="Bench",
            last_name="Candidate",
            birth_date=dt.date(1995, 1, 1),
            nationalities="FR",
            residence="FR",
            city="Lyon",
            phone="+33612345678",
            professional_activity=False,
            education_level="bac5",
            education_field="ESS",
            experience_years=5,
            consent_at=timezone.now(),
            consent_version=settings.PRIVACY_NOTICE_VERSION,
        )
        VolunteerLanguage.objects.create(volunteer=volunteer, language="fr", level="native")
        volunteer.cv.save("cv.pdf", ContentFile(minimal_pdf()), save=True)
        return volunteer


def minimal_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
