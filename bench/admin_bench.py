"""The applications admin at scale: the list and an application's page over the dashboard's
database (``seed_bench --spread``, 1,000 missions and 1,000,000 applications), each view's
time cold (every Django cache cleared first: the count, the filters' lists), p50 and max of
several runs, and its SQL queries, through Django's test client in this process, signed in as
the bench's superuser. Also prints how long that database took to seed (``seed_bench`` keeps
it in the database's comment, so it is known when the database is reused).

Run by bench/run.sh with DATABASE_URL set to the dashboard's database and the bench's
production-like settings (DEBUG=0, a Redis cache). Prints a markdown section. ``BENCH_QUICK``
makes two runs per view (any database, a small one too); ``ADMIN_BENCH_RUNS`` sets the number.
The process, its connection and PostgreSQL's buffers are warm: one request of each view is
made first and not counted.
"""

import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402 -- the settings module is chosen first

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from applications.models import Application, Stage  # noqa: E402
from demo.spread import seed_time  # noqa: E402
from volunteers.models import User  # noqa: E402

QUICK = bool(os.environ.get("BENCH_QUICK"))
RUNS = int(os.environ.get("ADMIN_BENCH_RUNS", "2" if QUICK else "7"))
TARGET_MS = 500
TARGET_QUERIES = 8
STAFF = "bench-staff@example.org"  # a superuser (demo/management/commands/seed_bench.py)
LAST_NAME = "Traoré"  # one of the seeded candidates' names (demo/spread.py)


@dataclass
class Scenario:
    name: str
    path: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(self.params)}" if self.params else self.path


@dataclass
class Timing:
    status: int
    queries: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return (
            self.status == 200
            and statistics.median(self.times) < TARGET_MS
            and self.queries <= TARGET_QUERIES
        )


def client_signed_in() -> Client:
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=STAFF))
    return client


def scenarios(client: Client) -> list[Scenario]:
    changelist = reverse("admin:applications_application_changelist")
    sent = Application.objects.submitted()
    busiest = (
        sent.order_by().values_list("mission").annotate(n=Count("pk")).order_by("-n").first()
    ) or (0, 0)
    bounds = sent.aggregate(low=Min("pk"), high=Max("pk"))
    middle = (
        sent.filter(pk__gte=((bounds["low"] or 0) + (bounds["high"] or 0)) // 2)
        .order_by("pk")
        .values_list("pk", "reference")
        .first()
    ) or (0, "—")
    return [
        Scenario("page 1", changelist),
        Scenario(f"stage: {Stage.IN_REVIEW.label}", changelist, {"stage": Stage.IN_REVIEW}),
        Scenario(
            f"the busiest mission ({busiest[1]:,} applications), stage: {Stage.REJECTED.label}",
            changelist,
            {"mission__id__exact": str(busiest[0]), "stage": Stage.REJECTED},
        ),
        Scenario(f"search: a last name ({LAST_NAME})", changelist, {"q": LAST_NAME}),
        Scenario(f"search: a reference ({middle[1]})", changelist, {"q": str(middle[1])}),
        Scenario("last page", changelist, {"p": str(last_page(client, changelist))}),
        Scenario(
            "an application's page",
            reverse("admin:applications_application_change", args=[middle[0]]),
        ),
    ]


def last_page(client: Client, changelist: str) -> int:
    """The last page the list's paginator links to (its count: estimated at this size)."""
    html = client.get(changelist).content.decode()
    return max((int(n) for n in re.findall(r"(?:\?|&amp;|&)p=(\d+)", html)), default=1)


def caches_clear() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


def get(client: Client, url: str) -> tuple[float, int]:
    """One request, its page read whole: milliseconds and status."""
    started = time.perf_counter()
    response = client.get(url)
    _content = response.content
    return (time.perf_counter() - started) * 1000, response.status_code


def timed(client: Client, scenario: Scenario) -> Timing:
    caches_clear()
    _elapsed, status = get(client, scenario.url)  # warms the process, not counted
    if status != 200:
        return Timing(status)
    times = []
    for _ in range(RUNS):
        caches_clear()
        times.append(get(client, scenario.url)[0])
    caches_clear()
    with CaptureQueriesContext(connection) as queries:
        get(client, scenario.url)
    return Timing(status, len(queries), times)


def seed_line() -> str:
    seeded = seed_time()
    if not seeded:
        return "Seed time: not recorded (this database was not seeded by `seed_bench --spread`)."
    return (
        f"Seeded by `seed_bench --spread` in {seeded['seconds']:.0f} s "
        f"({seeded['applications']:,} applications, {seeded['at']})."
    )


def main() -> None:
    print(
        f"## The applications admin at scale (target: p50 under {TARGET_MS} ms cold and at most "
        f"{TARGET_QUERIES} SQL queries, 1,000,000 applications)\n"
    )
    print(f"{Application.objects.count():,} applications. {seed_line()}")
    print(
        f"In process (Django's test client), {RUNS} runs per view after one not counted, every "
        "Django cache cleared before each (the count, the filters' lists).\n"
    )
    print("| view | status | SQL queries | p50 ms | max ms | target |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    client = client_signed_in()
    results = []
    for scenario in scenarios(client):
        timing = timed(client, scenario)
        results.append(timing.met)
        if timing.status != 200:
            print(f"| {scenario.name} | {timing.status} | — | — | — | not met |")
            continue
        print(
            f"| {scenario.name} | {timing.status} | {timing.queries} | "
            f"{statistics.median(timing.times):.0f} | {max(timing.times):.0f} | "
            f"{'met' if timing.met else 'not met'} |"
        )
    verdict = "within" if all(results) else "NOT within"
    print(f"\n{verdict} the target ({timezone.now():%Y-%m-%d %H:%M} UTC).")


if __name__ == "__main__":
    main()
