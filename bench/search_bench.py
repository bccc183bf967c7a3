"""Staff search over the talent pool: p50 and p95 of one results page (25 rows, with extracts,
languages and applications) over the profiles of ``seed_bench --profiles 50000``.

Run by bench/run.sh with DATABASE_URL set (PostgreSQL). Prints a markdown section.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402 -- the settings module is chosen first

django.setup()

from django.utils import timezone  # noqa: E402

from talent.models import SearchProfile  # noqa: E402
from talent.search import Criteria, search_page  # noqa: E402

# BENCH_QUICK=1 (make bench-quick): a smoke run, 2 runs per query.
RUNS = int(os.environ.get("SEARCH_BENCH_RUNS", "2" if os.environ.get("BENCH_QUICK") else "40"))
TARGET_P50_MS = 200
QUERIES = {
    "one word (« élevage », in 5 % of CVs)": Criteria(words="élevage"),
    "unaccented, two words (« elevage cooperative »)": Criteria(words="elevage cooperative"),
    "a rare word (« bariné »)": Criteria(words="bariné"),
    "word and language (« maraîchage », anglais ≥ B2)": Criteria(
        words="maraîchage", languages=(("en", "B2"),)
    ),
    "languages only (espagnol ≥ C1), pool members": Criteria(
        languages=(("es", "C1"),), pool_only=True
    ),
}
# Reported, not in the verdict: a word in nearly every CV ranks every profile.
WORST = {"the commonest word (« gestion », in 98 % of CVs)": Criteria(words="gestion")}


def timed(criteria: Criteria) -> tuple[list[float], int]:
    times = []
    total = 0
    for run in range(RUNS + 3):
        started = time.perf_counter()
        page, results = search_page(
            criteria=criteria, page=1, per_page=25, now=timezone.now(), target=None
        )
        for result in results:
            str(result.extract)
        elapsed = (time.perf_counter() - started) * 1000
        total = page.paginator.count
        if run >= 3:  # the first runs warm the caches
            times.append(elapsed)
    return times, total


def main() -> None:
    profiles = SearchProfile.objects.count()
    print(f"## Staff search (target: p50 under {TARGET_P50_MS} ms over 50,000 profiles)\n")
    print(f"{profiles:,} search profiles; {RUNS} runs per query, one page of 25 results.\n")
    print("| query | results | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    worst = 0.0
    for name, criteria in {**QUERIES, **WORST}.items():
        times, total = timed(criteria)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18]
        if name in QUERIES:
            worst = max(worst, p50)
        print(f"| {name} | {total:,} | {p50:.0f} | {p95:.0f} |")
    verdict = "within" if worst < TARGET_P50_MS else "NOT within"
    print(f"\n{verdict} the target ({timezone.now():%Y-%m-%d %H:%M} UTC).")


if __name__ == "__main__":
    main()
