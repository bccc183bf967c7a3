"""A new candidate's journey on a weak mobile link (issue 29): a candidate in Dakar.

Headless Chromium (Debian's), throttled through the DevTools protocol to 400 kbit/s down,
150 kbit/s up and 300 ms of latency, signs up by e-mailed code and applies to B0002 with a
1 MB CV: catalogue → filtered by country → mission → sign-in page → sign-up → code →
profile (the CV) → apply form → review → sent. Each step is timed from the action (click,
address) to the next page's load event; its bytes are those of every request that finished
since the previous step ended (Network.loadingFinished's encodedDataLength, redirects
included; request bodies for up).

It runs with bench/run.sh's environment (the bench database seeded by ``seed_bench``, a
private Redis, DEBUG=0 over plain HTTP) and starts, on spare loopback ports, what the
journey needs, as production has it: gunicorn with deploy/gunicorn.conf.py, a Celery worker
(the sign-in code goes through the outbox and the worker's task) and an SMTP server
(aiosmtpd, in this process) from which the code is read. Every process it starts is stopped
by its id, failure or not (SIGTERM and Ctrl-C included); each step gives up after
STEP_SECONDS.

BENCH_QUICK=1 skips it with a line saying so: the journey takes 20 to 40 s even unthrottled
(three processes to start on two cores, ten pages), too much of the quick bench's minute.
``--unthrottled`` runs the same journey without throttling, to check it end to end quickly
(no verdicts). Prints a markdown section on stdout, each request's bytes on stderr; exits 1
if the journey could not be completed.
"""

import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from slow_journey import (  # noqa: E402 -- bench/, beside this script
    MISSION,
    PAGE_TARGET,
    STEP_SECONDS,
    UP,
    UPLOAD_GRACE,
    Journey,
    Step,
    Traffic,
    apply,
    sign_up,
)

from testing.documents import docx_bytes  # noqa: E402
from testing.smtp import SmtpServer, smtp_server_on  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
THROTTLED = "--unthrottled" not in sys.argv[1:]
DOWN = 50_000  # bytes/s: 400 kbit/s
LATENCY_MS = 300
CV_BYTES = 1024 * 1024
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STARTED = time.monotonic()


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cv_pdf(size: int = CV_BYTES) -> bytes:
    """A valid one-page PDF of ``size`` bytes or a few more: random bytes in an attached file,
    which nothing on the way can compress (as the bench's own upload sends)."""
    from pypdf import PdfWriter

    def written(payload: int) -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_attachment("scan.bin", os.urandom(payload))
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    first = written(size // 2)  # the PDF's own bytes around the payload, then the right payload
    return written(size - (len(first) - size // 2) + 16)


# --- the processes ------------------------------------------------------------------------


@contextmanager
def process(name: str, command: list[str], env: dict[str, str], log: Path) -> Iterator[Any]:
    """Run ``command`` while the block runs; stop it by its process id (terminate, then kill)."""
    with log.open("wb") as output:
        child = subprocess.Popen(  # noqa: S603 -- our interpreter, fixed arguments
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)


def wait_for(what: str, ready: Callable[[], bool], child: Any, log: Path) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        if child.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{what} did not start:\n{tail}")
        time.sleep(0.2)


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def own_broker(url: str) -> str:
    """The bench's Redis, in a database of our own: no task left by another bench to wait for."""
    return re.sub(r"/\d+$", "", url.rstrip("/")) + "/2" if url.startswith("redis://") else url


@contextmanager
def site(work: Path, smtp: SmtpServer) -> Iterator[int]:
    """gunicorn and a Celery worker with the bench's settings, e-mail to ``smtp``; the port."""
    port = spare_port()
    env = {
        **os.environ,
        "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}",
        "CELERY_BROKER_URL": own_broker(os.environ.get("CELERY_BROKER_URL", "")),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "3",
    }
    python = sys.executable
    # In production nginx reads the whole body before gunicorn sees it
    # (deploy/nginx/volontiers.conf); here the browser talks to gunicorn directly, and a 1 MB
    # body at 150 kbit/s takes about a minute, gunicorn's timeout: lift it for this run only.
    web = [python, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "--timeout", "300"]
    web += ["--no-control-socket"]  # not the user-wide socket other gunicorns use
    worker = [python, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "info"]
    worker += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with ExitStack() as stack:
        logs = work / "gunicorn.log", work / "worker.log"
        gunicorn = stack.enter_context(process("gunicorn", [*web, "config.wsgi"], env, logs[0]))
        celery = stack.enter_context(process("celery", worker, env, logs[1]))
        wait_for("gunicorn", lambda: answers(port), gunicorn, logs[0])
        wait_for("the Celery worker", lambda: "ready." in logs[1].read_text(), celery, logs[1])
        print(f"[{time.monotonic() - STARTED:.1f}] services up", file=sys.stderr)
        yield port


def drive(port: int, smtp: SmtpServer, work: Path) -> tuple[list[Step], float]:
    """Chromium, throttled unless quick, through the whole journey."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Chromium is not installed: apt-get install -y chromium")
    cv, letter = work / "CV Awa Diop.pdf", work / "lettre-motivation.docx"
    cv.write_bytes(cv_pdf())
    letter.write_bytes(docx_bytes("Madame, Monsieur, je candidate à la mission B0002."))
    # On the seeded candidates' domain: the next seed_bench removes the account.
    email = f"slow-link-{int(time.time())}-{secrets.token_hex(3)}@bench.example.org"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(
                base_url=f"http://127.0.0.1:{port}",
                viewport={"width": 360, "height": 740},
                is_mobile=True,
                has_touch=True,
                locale="fr-FR",
                timezone_id="Africa/Dakar",
            )
            context.set_default_timeout(STEP_SECONDS * 1000)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            traffic = Traffic()
            traffic.listen(cdp)
            cdp.send("Network.enable")
            if THROTTLED:
                conditions = {"offline": False, "latency": LATENCY_MS}
                conditions |= {"downloadThroughput": DOWN, "uploadThroughput": UP}
                cdp.send("Network.emulateNetworkConditions", conditions)
            print(f"[{time.monotonic() - STARTED:.1f}] browser up", file=sys.stderr)
            journey = Journey(page, traffic)
            delay = sign_up(journey, smtp, email)
            apply(journey, cv, letter)
            return journey.steps, delay
        finally:
            browser.close()


# --- the report ---------------------------------------------------------------------------


def report(steps: list[Step], delay: float) -> None:
    link = "none (--unthrottled: no verdicts)" if not THROTTLED else (
        f"{DOWN * 8 // 1000} kbit/s down, {UP * 8 // 1000} kbit/s up, {LATENCY_MS} ms latency"
    )  # fmt: skip
    print("## Slow link: a new candidate's journey in Chromium (issue 29)\n")
    print(f"Throttled through the DevTools protocol: {link}; headless Chromium, 360×740, fr-FR.")
    print(f"A new account each run, applying to {MISSION} with a {CV_BYTES // 1024} KiB PDF CV.")
    print("Seconds from the action to the next page's load event; bytes as Chromium counts")
    print("them on the wire (headers included, pages as gunicorn sends them: no nginx gzip).\n")
    print("| step | seconds | KiB down | KiB up | requests | target | |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for step in steps:
        target = (
            f"≤ {step.up:,} B ÷ {UP:,} B/s + {UPLOAD_GRACE:.0f} s = {step.target:.1f} s"
            if step.upload
            else f"< {PAGE_TARGET:.0f} s"
        )
        verdict = "—" if not THROTTLED else ("met" if step.met else "**not met**")
        print(
            f"| {step.name} | {step.seconds:.1f} | {step.down / 1024:,.1f} | "
            f"{step.up / 1024:,.1f} | {step.requests} | {target} | {verdict} |"
        )
    total = sum(step.seconds for step in steps)
    down, up = sum(s.down for s in steps), sum(s.up for s in steps)
    print(f"| **total** | **{total:.1f}** | **{down / 1024:,.1f}** | **{up / 1024:,.1f}** | | | |")
    when = "before" if delay < 0.1 else f"{delay:.1f} s after"
    print(f"\nThe sign-in code reached the SMTP server {when} the code page had loaded (outbox →")
    print("Celery worker → SMTP; not a page step: the candidate's mailbox adds its own delay).")
    print("DevTools throttling delays each request by the latency once: no TCP or TLS handshakes,")
    print("no loss. Without nginx in front, gunicorn's timeout is lifted for the upload's minute.")


def main() -> int:
    # A SIGTERM (run.sh stopped) unwinds like Ctrl-C: gunicorn and the worker are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if QUICK:
        print("## Slow link: a new candidate's journey in Chromium (issue 29)\n")
        print("Skipped in the quick bench (BENCH_QUICK=1): run `bench/slow_link.py` for it.")
        return 0
    with tempfile.TemporaryDirectory(prefix="slow-link-") as folder:
        work = Path(folder)
        try:
            with smtp_server_on(spare_port()) as smtp, site(work, smtp) as port:
                steps, delay = drive(port, smtp, work)
        except Exception as error:  # noqa: BLE001 -- say what failed, with the server's log
            print("## Slow link: a new candidate's journey in Chromium (issue 29)\n")
            print(f"Not completed: {type(error).__name__}: {error}")
            for name in ("gunicorn.log", "worker.log"):
                log = work / name
                if log.exists():
                    print(f"\n{name} (end):\n```\n{log.read_text(errors='replace')[-2000:]}\n```")
            return 1
    print(f"[{time.monotonic() - STARTED:.1f}] stopped", file=sys.stderr)
    report(steps, delay)
    return 0


if __name__ == "__main__":
    sys.exit(main())
