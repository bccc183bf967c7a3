"""A real Celery worker, and a real ``celery beat``, as processes sharing the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection


class CeleryWorker:
    """``celery worker`` on the test database, the given broker and SMTP port; its log in a file."""

    def __init__(self, broker_url: str, smtp_port: int, log: Path, concurrency: int = 1) -> None:
        self.broker_url, self.smtp_port, self.log = broker_url, smtp_port, log
        # 1: one task at a time (solo pool); more: prefork, as in production, so tasks overlap.
        self.concurrency = concurrency
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        db = connection.settings_dict
        user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return {
            **os.environ,
            "DATABASE_URL": f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            "SITE_URL": settings.SITE_URL,
            # The test's own private folder (the root conftest's private_media): the files the
            # worker writes (an export) are where the test's requests read them.
            "PRIVATE_MEDIA_ROOT": str(
                settings.STORAGES["default"].get("OPTIONS", {}).get("location")
                or settings.PRIVATE_MEDIA_ROOT
            ),
        }

    def start(self) -> None:
        self.log.write_text("")
        log = self.log.open("ab")
        pool = (
            ["--pool=solo"]
            if self.concurrency == 1
            else ["--pool=prefork", f"--concurrency={self.concurrency}"]
        )
        self.process = subprocess.Popen(  # noqa: S603 -- our interpreter, fixed arguments
            [sys.executable, "-m", "celery", "-A", "config", "worker", *pool,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=settings.BASE_DIR,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()  # the worker has its own copy of the descriptor
        deadline = time.monotonic() + 30
        while "ready." not in self.log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{self.log.read_text()}")
            time.sleep(0.1)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop our own worker by its process id; SIGKILL simulates a crash."""
        if self.process is not None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)
            self.process = None


class CeleryBeat(CeleryWorker):
    """A real ``celery beat`` with the settings' DatabaseScheduler.

    It reuses the worker's environment (test database, private Redis) and its stop by
    process id; only the command differs, and it does not wait: several beats start together.
    """

    def start(self) -> None:
        self.log.write_text("")
        with self.log.open("ab") as log:  # the beat keeps its own copy of the descriptor
            self.process = subprocess.Popen(  # noqa: S603 -- our interpreter, fixed arguments
                [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info",
                 "--schedule", str(self.log.with_suffix(".schedule")),
                 "--pidfile", str(self.log.with_suffix(".pid"))],
                cwd=settings.BASE_DIR,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

    def fired(self, name: str) -> int:
        """How many times this beat has sent the periodic task ``name`` to the broker."""
        return self.log.read_text().count(f"Sending due task {name} (")

    def check_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"a beat stopped by itself:\n{self.log.read_text()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop our own beat by its process id; one slow to exit (a loaded machine) is killed,
        so that no beat outlives its test and holds the test database or sends on."""
        if self.process is None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None
