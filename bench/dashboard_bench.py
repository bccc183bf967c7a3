"""The recruitment dashboard over 1,000 missions and 1,000,000 applications (``seed_bench
--spread``): for each of its usual views, the page's time cold (every Django cache cleared)
and warm (cached), p50 of several runs, through Django's test client in this process, signed
in as the bench's superuser (the admin page) or its coordinator (the coordination page).

Run by bench/run.sh with DATABASE_URL set to the dashboard's own database and the bench's
production-like settings (DEBUG=0, a Redis cache). Prints a markdown section. "Cold" is
Django's cache only: the process, its connection and PostgreSQL's buffers are warm (one
request of each view is made first and not counted).
"""

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402 -- the settings module is chosen first

django.setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from applications.models import Application  # noqa: E402
from missions.models import Mission, Programme, StageTime, Tally  # noqa: E402
from volunteers.models import User  # noqa: E402

# BENCH_QUICK=1 (make bench-quick): a smoke run, 1 run per view.
RUNS = int(os.environ.get("DASHBOARD_BENCH_RUNS", "1" if os.environ.get("BENCH_QUICK") else "5"))
TARGET_COLD_MS = 1000
STAFF = "bench-staff@example.org"  # a superuser (demo/management/commands/seed_bench.py)
COORDINATOR = "bench-coordinator@example.org"  # of twenty missions (demo/spread.py)
COUNTRY = "SN"  # host country of one mission in ten
# The dashboard's addresses, as given while it is being written (a 404 until it lands).
ADMIN_PATH = "/admin/dashboard/dashboard/"
COORDINATION_PATH = "/coordination/tableau-de-bord/"


@dataclass
class Scenario:
    name: str
    user: str
    path: str
    params: dict[str, str]

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(self.params)}"


@dataclass
class Timing:
    status: int
    kib: float
    queries: int
    cold: list[float]
    warm: list[float]


def admin_path() -> str:
    try:
        return reverse("admin:dashboard_dashboard_changelist")
    except NoReverseMatch:  # the dashboard app is not there yet
        return ADMIN_PATH


def scenarios() -> list[Scenario]:
    today = timezone.localdate()
    month = {"start": (today - dt.timedelta(days=29)).isoformat(), "end": today.isoformat()}
    year = {"start": (today - dt.timedelta(days=364)).isoformat(), "end": today.isoformat()}
    programme = Programme.objects.filter(slug__startswith="b-programme-").order_by("slug").first()
    busiest = (
        Application.objects.values_list("mission")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()
    ) or (0, 0)
    in_country = Mission.objects.filter(host_country=COUNTRY).count()
    coordinated = Mission.objects.filter(coordinators__email=COORDINATOR).count()
    admin = admin_path()
    return [
        Scenario("all missions, last 30 days", STAFF, admin, month),
        Scenario("all missions, last 365 days", STAFF, admin, year),
        Scenario(
            f"one programme ({programme.name if programme else '—'}), 365 days",
            STAFF,
            admin,
            {**year, "programme": str(programme.pk if programme else 0)},
        ),
        Scenario(
            f"one country ({COUNTRY}, {in_country} missions), 365 days",
            STAFF,
            admin,
            {**year, "country": COUNTRY},
        ),
        Scenario(
            f"one mission (the busiest: {busiest[1]:,} applications), 365 days",
            STAFF,
            admin,
            {**year, "mission": str(busiest[0])},
        ),
        Scenario(
            f"a coordinator's missions ({coordinated}), 365 days",
            COORDINATOR,
            COORDINATION_PATH,
            year,
        ),
    ]


def caches_clear() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


def get(client: Client, url: str) -> tuple[float, int, int]:
    """One request: milliseconds, status, bytes."""
    started = time.perf_counter()
    response = client.get(url)
    size = len(response.content)
    return (time.perf_counter() - started) * 1000, response.status_code, size


def timed(scenario: Scenario) -> Timing:
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=scenario.user))
    caches_clear()
    _elapsed, status, size = get(client, scenario.url)  # warms the process, not counted
    if status != 200:
        return Timing(status, size / 1024, 0, [], [])
    cold, warm = [], []
    for _ in range(RUNS):
        caches_clear()
        cold.append(get(client, scenario.url)[0])
        warm.append(get(client, scenario.url)[0])
    caches_clear()
    with CaptureQueriesContext(connection) as queries:
        get(client, scenario.url)
    return Timing(status, size / 1024, len(queries), cold, warm)


def main() -> None:
    rows = {
        "missions": Mission.objects.count(),
        "applications": Application.objects.count(),
        "daily counts": Tally.objects.count(),
        "stage times": StageTime.objects.count(),
    }
    print(
        f"## Recruitment dashboard (target: under {TARGET_COLD_MS / 1000:.0f} s cold, "
        "1,000 missions and 1,000,000 applications)\n"
    )
    print(", ".join(f"{count:,} {name}" for name, count in rows.items()) + ".")
    print(
        f"In process (Django's test client), {RUNS} runs per view after one not counted; cold: "
        "every Django cache cleared first; warm: the same request again.\n"
    )
    print("| view | status | KiB | SQL queries (cold) | cold p50 ms | cold max ms | warm p50 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst, failed = 0.0, set()
    for scenario in scenarios():
        timing = timed(scenario)
        if timing.status != 200:
            failed.add(f"{scenario.path} answered {timing.status}")
            print(f"| {scenario.name} | {timing.status} | {timing.kib:.1f} | — | — | — | — |")
            continue
        cold = statistics.median(timing.cold)
        worst = max(worst, cold)
        print(
            f"| {scenario.name} | {timing.status} | {timing.kib:.1f} | {timing.queries} | "
            f"{cold:.0f} | {max(timing.cold):.0f} | {statistics.median(timing.warm):.0f} |"
        )
    moment = f"{timezone.now():%Y-%m-%d %H:%M} UTC"
    if failed:
        print(f"\nnot measured: {'; '.join(sorted(failed))} ({moment}).")
    else:
        verdict = "within" if worst < TARGET_COLD_MS else "NOT within"
        print(f"\n{verdict} the target ({moment}).")


if __name__ == "__main__":
    main()
