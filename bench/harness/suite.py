"""The side-by-side run: every target of targets.json under gunicorn, in one interleaved run.

  python -m bench.harness bench/targets.json [--quick] [--out results.json]

targets.json: "settings" (duration, warmup, connections, repeat, workers, base_port,
reference: "target/url" of the % column) and "targets", each with name, cwd and python
(relative to targets.json), app (WSGI "module:callable"), env ("@bench-work" starts a value
under $BENCH_WORK), scratch (a folder emptied after each upload run), django_settings
(query counts and sessions), login_user, and urls: name, path, auth, login_user, mode
("load": wrk; "download": one at a time on fresh workers, "rows" gives rows/s; "upload": see
upload.py, with files, file_kb, fields, requests, warmup, expect) and goal (see report.py).

Pages are loaded interleaved (repeat outer, targets and URLs inner), then downloads, then
uploads last so that the rows they add change nothing measured before them. --quick: 1-second
runs, 1 repeat, no warm-up, no restart before exports, at most 5 posts per upload; goals are
printed, never judged by the exit status. Otherwise the exit status is 3 when a goal is not met.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import load, report, upload
from .servers import WORK, Server

DEFAULTS = {"duration": 10, "warmup": 3, "connections": 8, "repeat": 3, "workers": 2}
# Quick: no warm-up, 1-second loads, 1 repeat, exports on the running workers (no restart).
QUICK = {"duration": 1, "warmup": 0, "repeat": 1, "fresh_workers": False}
QUICK_POSTS = 5


def mode(url: dict[str, Any]) -> str:
    return str(url.get("mode", "load"))


def record(results: dict[str, Any], server: Server, url: dict[str, Any]) -> dict[str, Any]:
    """The URL's entry in the results, made on first use."""
    urls = results["targets"][server.name]["urls"]
    entry = {"path": url["path"], "mode": mode(url), "goal": url.get("goal"), "samples": []}
    return urls.setdefault(url["name"], entry)  # type: ignore[no-any-return]


def run_pages(servers: list[Server], settings: dict[str, Any], results: dict[str, Any]) -> None:
    pages = [(s, u) for s in servers for u in s.target["urls"] if mode(u) == "load"]
    connections = settings["connections"]
    for server, url in pages if settings["warmup"] else []:
        address = f"http://127.0.0.1:{server.port}{url['path']}"
        load.measure(address, settings["warmup"], connections, headers(server, url))
    for repeat in range(1, settings["repeat"] + 1):
        for server, url in pages:
            address = f"http://127.0.0.1:{server.port}{url['path']}"
            sample = load.measure(address, settings["duration"], connections, headers(server, url))
            record(results, server, url)["samples"].append(sample)
            log(
                f"[{repeat}] {server.name}/{url['name']}: {sample['rps']:.0f} rps, "
                f"p50 {sample['p50_ms']:.1f} ms, errors {sample['errors']}"
            )
    for server in servers:
        results["targets"][server.name]["peak_after_load_mb"] = server.worker_peak_mb()


def headers(server: Server, url: dict[str, Any]) -> list[str]:
    cookie = server.cookie(url)
    return [f"Cookie: {cookie}"] if cookie else []


def download(port: int, path: str, cookie: str) -> dict[str, Any]:
    """One GET read to its end: seconds, time to first byte, bytes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    first, size = None, 0
    while chunk := response.read(65536):
        first = first or time.perf_counter() - started
        size += len(chunk)
    seconds = time.perf_counter() - started
    connection.close()
    return {
        "status": response.status,
        "seconds": seconds,
        "ttfb_s": first or seconds,
        "bytes": size,
    }


def run_downloads(servers: list[Server], settings: dict[str, Any], results: dict[str, Any]) -> None:
    """Each export on fresh workers, so that their peak memory is the export's alone."""
    for server in servers:
        for url in (u for u in server.target["urls"] if mode(u) == "download"):
            if settings.get("fresh_workers", True):
                server.stop()
                server.start()
            entry = record(results, server, url)
            entry["peak_before_mb"] = server.worker_peak_mb()
            for repeat in range(1, settings["repeat"] + 1):
                sample = download(server.port, url["path"], server.cookie(url))
                sample["peak_mb"] = server.worker_peak_mb()
                if url.get("rows"):
                    sample["rows_per_s"] = url["rows"] / sample["seconds"]
                entry["samples"].append(sample)
                log(
                    f"[{repeat}] {server.name}/{url['name']}: HTTP {sample['status']}, "
                    f"{sample['seconds']:.2f} s, peak RSS {sample['peak_mb']} MB"
                )


def run_uploads(servers: list[Server], settings: dict[str, Any], results: dict[str, Any]) -> None:
    """Interleaved like the pages; posts numbered on across repeats ({n} in fields)."""
    forms = [(s, u) for s in servers for u in s.target["urls"] if mode(u) == "upload"]
    run_id, next_n = time.strftime("%Y%m%d%H%M%S"), {id(u): 1 for _, u in forms}
    for repeat in range(1, settings["repeat"] + 1):
        for server, url in forms:
            address = f"http://127.0.0.1:{server.port}{url['path']}"
            form = upload.Form(
                address,
                url.get("fields", {}),
                url.get("files", ["cover_letter", "cv"]),
                url.get("file_kb", 1024),
                server.cookie(url),
                run_id,
            )
            posts = url.get("requests", 100)
            warmup = url.get("warmup", 3) if repeat == 1 and settings["warmup"] else 0
            sample = upload.measure(
                form,
                min(posts, settings.get("max_posts", posts)),
                warmup,
                next_n[id(url)],
                url.get("expect", [302, 303]),
            )
            next_n[id(url)] = sample["next_n"]
            if server.scratch:
                shutil.rmtree(server.scratch, ignore_errors=True)
            record(results, server, url)["samples"].append(sample)
            log(
                f"[{repeat}] {server.name}/{url['name']}: {sample['requests']} posts, "
                f"p50 {sample['p50_ms']:.1f} ms, statuses {sample['statuses']}"
            )
            if sample["first_error"]:
                log(f"    first error: {sample['first_error']!r}")


def start(servers: list[Server], results: dict[str, Any]) -> None:
    """Every server launched at once, then each one's sessions and query counts, side by side."""
    for server in servers:
        log(f"starting {server.name} on 127.0.0.1:{server.port}")
        server.launch()
    for server in servers:
        server.wait_ready()
    with ThreadPoolExecutor() as pool:
        list(pool.map(Server.prepare, servers))
    for server in servers:
        results["targets"][server.name] = {"urls": {}, "queries": server.queries}
        results["targets"][server.name]["peak_idle_mb"] = server.worker_peak_mb()


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.harness",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("targets", type=Path)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 s loads, 1 repeat")
    parser.add_argument("--out", type=Path, help="results JSON (default under $BENCH_WORK)")
    parser.add_argument(
        "--tokens", type=Path, help="JSON of the {token:NAME} values (seed_bench --tokens)"
    )
    return parser.parse_args()


def with_tokens(text: str, tokens: Path | None) -> str:
    """The targets' text with each ``{token:NAME}`` replaced: the links and sessions that
    seed_bench made for the pages behind a link (an interview invitation, a partner link)."""
    values: dict[str, str] = json.loads(tokens.read_text()) if tokens else {}
    for name, value in values.items():
        text = text.replace(f"{{token:{name}}}", value)
    missing = sorted(set(re.findall(r"\{token:([\w-]+)\}", text)))
    if missing:
        raise SystemExit(f"no value for {', '.join(missing)}: give --tokens (seed_bench --tokens)")
    return text


def environment() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((x.split(":", 1)[1].strip() for x in cpuinfo if x.startswith("model name")), "?")
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version()}


def main() -> int:
    args = arguments()
    spec = json.loads(with_tokens(args.targets.read_text(), args.tokens))
    settings = DEFAULTS | spec.get("settings", {})
    if args.quick:
        settings |= QUICK | {"max_posts": QUICK_POSTS}
    load.require_wrk()
    base = args.targets.resolve().parent
    servers = [
        Server(target, base, settings.get("base_port", 18100) + n, settings["workers"])
        for n, target in enumerate(spec["targets"])
    ]
    results: dict[str, Any] = {"settings": settings, "env": environment(), "targets": {}}
    try:
        start(servers, results)
        run_pages(servers, settings, results)
        run_downloads(servers, settings, results)
        run_uploads(servers, settings, results)
    finally:
        for server in servers:
            server.stop()
            if server.scratch:
                shutil.rmtree(server.scratch, ignore_errors=True)
    unmet = report.print_report(results, settings)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = args.out or WORK / "results" / f"{args.targets.stem}-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    log(f"results: {out}; server logs: {WORK / 'logs'}")
    return 3 if unmet and not args.quick else 0
