"""`make bench` needs nothing outside the repository: its quick mode runs from a bare clone.

The committed HEAD is cloned into a folder whose parent holds no `shared/` (the harness that
the benchmark once needed beside the checkout), with the project's .venv linked in (building
one would take minutes), and `bench/run.sh` runs there in quick mode on databases of the
test's own, dropped after. The numbers are not judged: only that every step ran and that the
report has a row for every URL of bench/targets.json.
"""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from testing.services import missing, require_service

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://postgres@127.0.0.1:5432"
# Names of the test's databases; BENCH_TEST_DATABASE_PREFIX lets a shared machine choose them.
PREFIX = os.environ.get("BENCH_TEST_DATABASE_PREFIX", "test_bench_quick_")
TABLES = ["| target / page |", "| target / download |", "| target / upload form"]

pytestmark = [pytest.mark.services, pytest.mark.real_clock]


def bench_env(tmp_path: Path, databases: dict[str, str], report: Path) -> dict[str, str]:
    """Built from nothing but PATH: no setting of this test run leaks into the benchmark."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "BENCH_QUICK": "1",
        "BENCH_WORK": str(tmp_path / "bench-work"),
        "BENCH_OUTPUT": str(report),
        **databases,
    }


def drop(databases: dict[str, str]) -> None:
    for name in databases.values():
        subprocess.run(  # noqa: S603 -- PostgreSQL's dropdb, the test's own databases
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name],  # noqa: S607
            check=False,
            capture_output=True,
        )


def test_the_quick_bench_runs_from_a_clone_alone(tmp_path: Path) -> None:
    for tool in ("git", "psql", "createdb", "dropdb", "redis-server"):
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed")
    if shutil.which("wrk") is None and os.geteuid() != 0:
        missing("wrk is not installed (bench/run.sh installs it with apt-get as root)")
    require_service("PostgreSQL", POSTGRES)
    clone = tmp_path / "checkout" / "volontiers"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)  # noqa: S603, S607
    assert not (clone.parent / "shared").exists()
    (clone / ".venv").symlink_to(ROOT / ".venv")
    suffix = f"{os.getpid()}"
    databases = {
        "BENCH_DB": f"{PREFIX}{suffix}",
        "BENCH_CEILING_DB": f"{PREFIX}{suffix}_ceiling",
        "BENCH_DASHBOARD_DB": f"{PREFIX}{suffix}_dashboard",
    }
    report = tmp_path / "RESULTS-quick.md"
    started = time.monotonic()
    try:
        done = subprocess.run(
            ["bash", "bench/run.sh"],  # noqa: S607 -- the clone's own bench script
            cwd=clone,
            env=bench_env(tmp_path, databases, report),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        drop(databases)
    seconds = time.monotonic() - started
    output = done.stdout + done.stderr
    print(f"the quick bench ran in {seconds:.0f} s")
    assert done.returncode == 0, output[-4000:]
    text = report.read_text()
    for table in TABLES:
        assert table in text
    targets = json.loads((clone / "bench" / "targets.json").read_text())["targets"]
    for target in targets:
        for url in target["urls"]:
            assert f"| {target['name']} / {url['name']} |" in text
    assert "shared/bench" not in output + text
