"""The run's markdown tables (pages, downloads, uploads), each row with its goal's verdict.

A URL's "goal" holds one or more of these keys, all of which must hold:
  "pct_of": "<target>/<url>", "min_pct": N   its rate at least N % of that URL's (requests/s;
                                              rows/s for downloads), median of per-repeat ratios
  "max_queries": N                            SQL queries of the page at most N
  "p50_of": "<target>/<url>", "max_ratio": R  its p50 at most R times that URL's (median of ratios)
  "max_p50_ms": N                             its p50 at most N ms (a download's: its seconds)
"""

import math
import statistics
from typing import Any

Entry = dict[str, Any]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def spread(values: list[float], digits: int = 1, unit: str = "") -> str:
    """Median and range, e.g. "390 (365–397)"."""
    if not values:
        return "-"
    low, high = min(values), max(values)
    return f"{median(values):.{digits}f}{unit} ({low:.{digits}f}–{high:.{digits}f})"


def rates(entry: Entry) -> list[float]:
    """Requests (posts) per second, or rows per second for a download that gives its rows."""
    if entry["mode"] == "download":
        return [s.get("rows_per_s", 1 / s["seconds"]) for s in entry["samples"]]
    return [s["rps"] for s in entry["samples"]]


def p50s(entry: Entry) -> list[float]:
    if entry["mode"] == "download":
        return [s["seconds"] * 1000 for s in entry["samples"]]
    return [s["p50_ms"] for s in entry["samples"]]


def ratios(mine: list[float], theirs: list[float]) -> list[float]:
    """Per repeat: each of my samples against the other URL's sample of the same repeat."""
    return [a / b for a, b in zip(mine, theirs, strict=False) if b]


def find(results: dict[str, Any], reference: str) -> Entry | None:
    target, _, url = reference.partition("/")
    return results["targets"].get(target, {}).get("urls", {}).get(url)  # type: ignore[no-any-return]


def clauses(results: dict[str, Any], target: str, entry: Entry) -> list[tuple[str, bool]]:
    goal, found = entry["goal"], []
    if "pct_of" in goal:
        other = find(results, goal["pct_of"])
        pct = 100 * median(ratios(rates(entry), rates(other))) if other else math.nan
        found.append(
            (f"≥ {goal['min_pct']} % of {goal['pct_of']} ({pct:.1f} %)", pct >= goal["min_pct"])
        )
    if "max_queries" in goal:
        queries = results["targets"][target]["queries"].get(entry["path"], {}).get("queries")
        shown = "?" if queries is None else queries
        met = queries is not None and queries <= goal["max_queries"]
        found.append((f"≤ {goal['max_queries']} queries ({shown})", met))
    if "p50_of" in goal:
        other = find(results, goal["p50_of"])
        times = median(ratios(p50s(entry), p50s(other))) if other else math.nan
        found.append(
            (
                f"p50 ≤ {goal['max_ratio']} × {goal['p50_of']} ({times:.2f}×)",
                times <= goal["max_ratio"],
            )
        )
    if "max_p50_ms" in goal:
        p50 = median(p50s(entry))
        found.append((f"p50 ≤ {goal['max_p50_ms']} ms ({p50:.1f})", p50 <= goal["max_p50_ms"]))
    return found


def verdict(results: dict[str, Any], target: str, entry: Entry) -> tuple[str, bool | None]:
    """The target column's text, and whether the goal is met (None: no goal)."""
    if not entry.get("goal"):
        return "-", None
    found = clauses(results, target, entry)
    met = bool(found) and all(ok for _, ok in found)
    return "; ".join(text for text, _ in found) + (": met" if met else ": not met"), met


def rows(results: dict[str, Any], mode: str) -> list[tuple[str, str, Entry]]:
    return [
        (target, name, entry)
        for target, found in results["targets"].items()
        for name, entry in found["urls"].items()
        if entry["mode"] == mode
    ]


def page_row(results: dict[str, Any], settings: dict[str, Any], target: str, entry: Entry) -> str:
    samples = entry["samples"]
    reference = find(results, settings.get("reference", ""))
    share = [100 * r for r in ratios(rates(entry), rates(reference))] if reference else []
    queries = results["targets"][target]["queries"].get(entry["path"], {}).get("queries", "-")
    kib = median([s["kb_per_req"] for s in samples])
    return (
        f"{spread(rates(entry), 0)} | {spread(share, unit='%')} | {spread(p50s(entry))} "
        f"| {spread([s['p99_ms'] for s in samples])} | {queries} | {kib:.1f} "
        f"| {sum(s['errors'] for s in samples)}"
    )


def download_row(entry: Entry) -> str:
    samples = entry["samples"]
    rows_per_s = [s["rows_per_s"] for s in samples if "rows_per_s" in s]
    bad = sorted({s["status"] for s in samples if s["status"] != 200})
    status = f" (HTTP {', '.join(map(str, bad))}!)" if bad else ""
    return (
        f"{spread([s['seconds'] for s in samples], 2)}{status} | {spread(rows_per_s, 0)} "
        f"| {median([s['bytes'] for s in samples]) / 1e6:.1f} "
        f"| {median([s['ttfb_s'] for s in samples]):.2f} "
        f"| {entry['peak_before_mb']} → {max(s['peak_mb'] for s in samples)}"
    )


def upload_row(entry: Entry) -> str:
    samples = entry["samples"]
    return (
        f"{spread(rates(entry))} | {spread(p50s(entry))} "
        f"| {spread([s['p99_ms'] for s in samples])} "
        f"| {median([s['upload_mb_per_req'] for s in samples]):.2f} "
        f"| {sum(s['requests'] for s in samples)} | {sum(s['errors'] for s in samples)}"
    )


TABLES = {
    "load": "| target / page | RPS | % of {reference} | p50 ms | p99 ms | SQL queries | KiB "
    "| errors | target |",
    "download": "| target / download | seconds | rows/s | MB | TTFB s "
    "| worker peak RSS MB (idle → after) | target |",
    "upload": "| target / upload form (Python client, 1 connection) | RPS | p50 ms | p99 ms "
    "| MB sent/post | posts | errors | target |",
}


def print_report(results: dict[str, Any], settings: dict[str, Any]) -> int:
    """Prints the tables; returns how many goals are not met."""
    env = results["env"]
    print(
        f"\n{env['cpu_model']} x{env['cpus']}, Python {env['python']}; wrk, gunicorn sync "
        f"x{settings['workers']}, {settings['connections']} connections, "
        f"{settings['duration']} s x {settings['repeat']} runs (median, min–max)"
    )
    verdicts: list[bool] = []
    for mode, head in TABLES.items():
        found = rows(results, mode)
        if not found:
            continue
        print("\n" + head.format(reference=settings.get("reference", "-")))
        print("|---" * head.count(" | ") + "|---|")
        for target, name, entry in found:
            if mode == "load":
                cells = page_row(results, settings, target, entry)
            else:
                cells = download_row(entry) if mode == "download" else upload_row(entry)
            text, met = verdict(results, target, entry)
            verdicts += [] if met is None else [met]
            print(f"| {target} / {name} | {cells} | {text} |")
    for target, found in results["targets"].items():
        print(
            f"\n{target}: worker peak RSS idle {found['peak_idle_mb']} MB, "
            f"after load {found.get('peak_after_load_mb')} MB",
            end="",
        )
    unmet = verdicts.count(False)
    print(f"\n\nGoals: {len(verdicts) - unmet} met, {unmet} not met.")
    return unmet
