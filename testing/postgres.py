"""A throwaway PostgreSQL cluster: initdb in a temporary folder, on a spare port of 127.0.0.1.

It belongs to the test alone and is stopped by its own data folder (by its postmaster's pid
if that fails), then deleted: the machine's PostgreSQL is never touched.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from testing.services import missing, spare_port

BASE_DIR = Path(__file__).resolve().parents[1]
POSTGRESQL_LIB = Path("/usr/lib/postgresql")  # Debian: one bin/ folder per major version


def postgresql_bin() -> Path:
    """The newest PostgreSQL server programs installed, or skip (fail under REQUIRE_SERVICES)."""
    found = [
        path.parent
        for path in POSTGRESQL_LIB.glob("*/bin/initdb")
        if path.parent.parent.name.isdigit() and (path.parent / "pg_ctl").exists()
    ]
    if not found:
        missing(f"PostgreSQL's initdb and pg_ctl are not installed under {POSTGRESQL_LIB}")
    return max(found, key=lambda path: int(path.parent.name))


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster in its own folder, on a spare port of 127.0.0.1."""

    bin: Path
    work: Path
    port: int
    database: str = "volontiers"

    @property
    def data(self) -> Path:
        return self.work / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def as_owner(self, *command: str) -> subprocess.CompletedProcess[str]:
        # initdb refuses to run as root: as root, the cluster belongs to the postgres user.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(  # noqa: S603 -- PostgreSQL's own programs, fixed arguments
            [*prefix, *command], capture_output=True, text=True, check=False, timeout=60
        )

    def checked(self, what: str, *command: str) -> None:
        done = self.as_owner(*command)
        if done.returncode != 0:
            log = self.work / "server.log"
            server_log = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise AssertionError(f"{what} failed: {done.stdout}{done.stderr}\n{server_log}")

    def initdb(self) -> None:
        self.checked(
            "initdb",
            str(self.bin / "initdb"),
            f"--pgdata={self.data}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
        )

    def start(self) -> None:
        # The unix socket stays in our folder: the machine's cluster owns /var/run/postgresql.
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1"
            f" -c unix_socket_directories='{self.work}' -c fsync=off"
        )
        self.pg_ctl("start", f"--log={self.work / 'server.log'}", f"--options={options}")

    def stop(self) -> None:
        """Fast shutdown: open sessions are killed, their transactions rolled back."""
        self.pg_ctl("stop", "--mode=fast")

    def restart(self) -> None:
        """Fast shutdown and start again, with the options it was started with."""
        self.pg_ctl("restart", f"--log={self.work / 'server.log'}", "--mode=fast")

    def pg_ctl(self, action: str, *options: str) -> None:
        pg_ctl = str(self.bin / "pg_ctl")
        self.checked(
            f"pg_ctl {action}", pg_ctl, f"--pgdata={self.data}", *options, "--wait", action
        )

    def connect(self, database: str | None = None) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=database or self.database,
            autocommit=True,
            connect_timeout=5,
        )

    def kill(self) -> None:
        """Stop our own cluster, by its data folder; by its postmaster's pid if that fails."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            stopped = self.as_owner(
                str(self.bin / "pg_ctl"), f"--pgdata={self.data}", "--mode=fast", "stop"
            )
            if stopped.returncode != 0 and pid_file.exists():
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A started cluster with an empty database ``volontiers``; stopped and deleted after."""
    programs = postgresql_bin()
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing("runuser is needed to run PostgreSQL as the postgres user")
    work = Path(tempfile.mkdtemp(prefix="volontiers-pg."))
    cluster = Cluster(programs, work, spare_port())
    try:
        if os.geteuid() == 0:
            shutil.chown(work, "postgres")
        work.chmod(0o700)
        cluster.initdb()
        cluster.start()
        with cluster.connect("postgres") as connection:
            connection.execute(f"CREATE DATABASE {cluster.database}")
        yield cluster
    finally:
        cluster.kill()
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def django_connected_to(cluster: Cluster) -> Iterator[None]:
    """This thread's Django on the cluster's database, migrated, while the block runs.

    For in-process tests of a database that goes away: the test client runs the views in this
    thread, on a connection the test may break by stopping the cluster. The test database and
    its connection are left alone and given back afterwards.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    env = {**os.environ, "DATABASE_URL": cluster.url}
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity=0"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert migrated.returncode == 0, f"migrate failed:\n{migrated.stdout}{migrated.stderr}"
    original = connections["default"]
    settings = original.settings_dict | {
        "NAME": cluster.database,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(cluster.port),
    }
    on_cluster = type(original)(settings, "default")
    connections["default"] = on_cluster
    ContentType.objects.clear_cache()  # ids read from the test database mean nothing here
    try:
        yield
    finally:
        on_cluster.close()
        connections["default"] = original
        ContentType.objects.clear_cache()
