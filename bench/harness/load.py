"""Closed-loop load with wrk (Debian's package) on loopback: RPS, p50, p99 of one URL."""

import ipaddress
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LUA = Path(__file__).resolve().parent / "wrk_report.lua"


def assert_loopback(url: str) -> None:
    """Only servers on this machine are ever loaded."""
    host = urlsplit(url).hostname or ""
    try:
        if host == "localhost" or ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    sys.exit(f"refusing to load {url!r}: the harness loads servers on 127.0.0.1 only")


def require_wrk() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install -y wrk (bench/run.sh does it)")


def measure(url: str, seconds: int, connections: int, headers: list[str]) -> dict[str, Any]:
    """One wrk run of `seconds` (1 thread: the cores are the server's), read from its Lua report."""
    assert_loopback(url)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout=10s", "-s", str(LUA)]
    for header in headers:
        command += ["-H", header]
    done = subprocess.run(  # noqa: S603 -- wrk, on a loopback URL
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no report for {url}: {done.stdout}{done.stderr}")
    report = json.loads(line.removeprefix("BENCHJSON "))
    requests = report["requests"]
    return {
        "rps": requests / (report["duration_us"] / 1e6),
        "p50_ms": report["p50_us"] / 1000,
        "p90_ms": report["p90_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "max_ms": report["max_us"] / 1000,
        "requests": requests,
        "errors": report["errors"],
        "kb_per_req": report["bytes"] / max(requests, 1) / 1024,
    }
