"""E-mail outbox throughput: 10,000 messages delivered to a local aiosmtpd by 2 worker processes.

Run by bench/run.sh with DATABASE_URL and CELERY_BROKER_URL set (a private Redis). Prints a
markdown section: seconds to deliver all, messages/s, and duplicates (Message-ID seen twice).
"""

import logging
import os
import re
import resource
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402 -- the settings module is chosen first

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.utils import timezone  # noqa: E402

from notifications.models import OutboxMessage  # noqa: E402
from notifications.outbox import queue  # noqa: E402

# BENCH_QUICK=1 (make bench-quick): a smoke run of 200 messages.
QUICK = bool(os.environ.get("BENCH_QUICK"))
COUNT = int(os.environ.get("OUTBOX_BENCH_MESSAGES", "200" if QUICK else "10000"))
TARGET_SECONDS = 60
# The Message-ID header, read from the raw header block: parsing every message with the email
# package here would take CPU from the workers on the same machine.
MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(.*)$", re.IGNORECASE | re.MULTILINE)
# Two worker processes, as production's one worker with --concurrency=2; options can be tried.
WORKER_OPTIONS = os.environ.get("OUTBOX_BENCH_WORKER_OPTIONS", "--pool=solo").split()


class Collect:
    def __init__(self) -> None:
        self.ids: Counter[bytes] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook
        headers = envelope.content.partition(b"\r\n\r\n")[0]
        found = MESSAGE_ID.search(headers)
        # A message without one counts under b"", so two of them show up as a duplicate.
        self.ids[found.group(1).strip() if found else b""] += 1
        return "250 OK"


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its reaped children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(n) for n in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed() -> list[int]:
    """COUNT draft reminders in the outbox, as beat writes them; returns their ids."""
    OutboxMessage.objects.filter(key__startswith="bench:").delete()
    context = {
        "mission_reference": "B0001",
        "mission_title": "Bench",
        "subject": "B0001 – Bench",
        "city": "Dakar",
        "deadline": "2027-01-31",
        "apply_url": "http://127.0.0.1/",
        "url": "/",
    }
    OutboxMessage.objects.bulk_create(
        (OutboxMessage(key=f"bench:{n}", to=f"c{n}@bench.example.org", template="draft_reminder",
                       context=context, language="fr") for n in range(COUNT)),
        batch_size=2000,
    )  # fmt: skip
    return list(OutboxMessage.objects.filter(key__startswith="bench:").values_list("pk", flat=True))


def start_workers(smtp_port: int) -> list[subprocess.Popen[bytes]]:
    """Two Celery workers of the project, sending to the bench's SMTP server."""
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", *WORKER_OPTIONS,
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
    ]  # fmt: skip
    return [
        subprocess.Popen(  # noqa: S603 -- our own worker
            [*command, "-n", f"bench{i}@%h"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(2)
    ]


def report(handler: Collect, elapsed: float, worker_cpu: float) -> None:
    delivered = sum(handler.ids.values())
    duplicates = sum(n - 1 for n in handler.ids.values() if n > 1)
    sent = OutboxMessage.objects.filter(key__startswith="bench:", state="sent").count()
    OutboxMessage.objects.filter(key__startswith="bench:").delete()
    verdict = (
        "within"
        if delivered == COUNT and elapsed <= TARGET_SECONDS and not duplicates
        else "NOT within"
    )
    print("## E-mail outbox (target: 10,000 messages by 2 workers in at most 60 s, none twice)\n")
    print("| messages | delivered | marked sent | duplicates | seconds | messages/s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    rate = delivered / elapsed
    print(f"| {COUNT:,} | {delivered:,} | {sent:,} | {duplicates} | {elapsed:.1f} | {rate:.0f} |")
    print(f"\n{verdict} the target ({timezone.now():%Y-%m-%d %H:%M} UTC).")
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"CPU seconds: workers {worker_cpu:.1f}, this process (SMTP server, setup) "
        f"{own.ru_utime + own.ru_stime:.1f}; worker options {' '.join(WORKER_OPTIONS)}",
        file=sys.stderr,
    )


def main() -> None:
    # aiosmtpd logs each SMTP command at INFO: JSON lines that cost this process CPU.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler, port = Collect(), spare_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    ids = seed()
    workers = start_workers(port)
    try:
        time.sleep(1 if QUICK else 3)  # the workers connect
        started = time.monotonic()
        queue(ids)  # as reminders are queued: batches sharing one SMTP connection
        deadline = started + 180
        while sum(handler.ids.values()) < COUNT and time.monotonic() < deadline:
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        worker_cpu = sum(cpu_seconds(worker.pid) for worker in workers)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        smtp.stop()
    report(handler, elapsed, worker_cpu)


if __name__ == "__main__":
    main()
