"""PostgreSQL restarted during a burst of submissions, with the real web server in front.

Proves the issues' requirements: "PostgreSQL restarted during a burst of submissions: requests
fail cleanly (no half-written application, no orphan file), later ones succeed without
restarting the web process", and "a lost database connection gets a branded 503 page in the
visitor's language (service momentarily unavailable, your draft is kept, try again in a minute)
with Retry-After" (core.unavailable), never a 500: every answer is either a success or that page.

Everything is real and belongs to the test alone: a throwaway PostgreSQL cluster (initdb on a
spare port, stopped by its own data folder and deleted at the end: the machine's PostgreSQL is
never touched), gunicorn with the production settings (DEBUG=0, two sync workers, persistent
connections with health checks), and twelve signed-in candidates posting the apply form with a
real PDF letter and CV, then sending it, from threads, as browsers would.

Failures are made certain rather than left to timing: uncommitted rows of the test's hold two
requests half-way, one in each worker: a form being saved (letter stored, row and file; CV file
written) and an application being sent (reference taken, history row written). Their sessions
are killed, as a fast shutdown kills them, and the database is stopped; it stays down for a
second while more candidates post, and comes back; the last candidates post only once it is
back, and must all succeed. The database is restarted once more while nobody posts (every
worker's persistent connection is then stale), and every candidate who did not get through
tries again: all succeed, on the same gunicorn master and the same workers. The throwaway
database and the documents folder are checked last: nothing half-written, no file without a
row, no row without its file.

The machinery is in ``testing``: the cluster (``testing.postgres``, the ``postgresql_cluster``
fixture), gunicorn (``testing.gunicorn``) and the candidates' browsers (``testing.browser``).
"""

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import psycopg
import pytest
import redis

from testing.browser import Browser, multipart
from testing.documents import files_under, pdf_bytes
from testing.gunicorn import (
    Gunicorn,
    collecting_static,
    manage,
    production_env,
    serving,
    worker_pids,
)
from testing.postgres import Cluster
from testing.redis_server import RedisServer
from testing.services import missing, spare_port, wait_for

HOST = "volontiers.example.org"
MISSION = "PGR01"
WORKERS = 2
# Besides the two held half-way (one per worker): candidates posting while the database goes
# away and is down, then candidates posting only once it is back.
EARLY = 6
LATE = 4
STAGGER_SECONDS = 0.1  # between two early candidates: a burst, not one single instant
DOWN_SECONDS = 1.0  # a real restart takes a while (recovery): requests keep coming meanwhile
CACHE_DB = 1  # the private Redis's database for the cache (rate limits), as in test_worker
# The send tasks queued here name rows of the throwaway database: they go to their own Redis
# database, emptied at the end, so that no later worker test on database 0 ever receives them.
CELERY_DB = 2


@dataclass
class Outcome:
    """One request of one candidate, as the browser saw it, with when it was sent."""

    candidate: str
    step: str
    status: int
    location: str
    body: str
    sent_at: float
    retry_after: str = ""
    error: str = ""

    def succeeded(self) -> bool:
        expected = {"apply": "/apply/review/", "submit": "/apply/"}[self.step]
        return self.status == 302 and self.location.endswith(f"/missions/{MISSION}{expected}")

    def unavailable(self) -> bool:
        """The branded 503 of a lost database: the draft kept, come back in a minute (also said
        by Retry-After), and nothing of the crash in it."""
        leaks = ("Traceback", "psycopg", "OperationalError", "postgres")
        return (
            (self.status, self.retry_after) == (503, "60")
            and "<title>Service momentanément indisponible · Volontiers</title>" in self.body
            and "Votre brouillon est conservé" in self.body
            and not any(leak in self.body for leak in leaks)
        )

    def __str__(self) -> str:
        return f"{self.candidate} {self.step}: {self.status or self.error} {self.location}"


@dataclass
class Candidate(Browser):
    """A signed-in candidate's browser: its cookies, talking HTTP to gunicorn as nginx would."""

    email: str
    draft: int
    token: str = ""

    def outcome(
        self, step: str, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> Outcome:
        sent_at = time.monotonic()
        try:
            status, headers, text = self.exchange(method, path, body, content_type)
        except OSError as error:  # reset or refused: not a clean failure, recorded as such
            return Outcome(self.email, step, 0, "", "", sent_at, error=repr(error))
        location, retry_after = headers.get("Location", ""), headers.get("Retry-After", "")
        return Outcome(self.email, step, status, location, text, sent_at, retry_after)

    def open_form(self) -> str:
        """GET the form: a CSRF cookie and the page's token, as a browser gets them."""
        status, _location, page = self.request("GET", f"/missions/{MISSION}/apply/")
        assert status == 200, f"{self.email}: the form answered {status}"
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match is not None and 'name="letter"' in page, f"{self.email}: no form\n{page}"
        self.token = match.group(1)
        return page

    def apply(self, letter: bytes, cv: bytes) -> Outcome:
        fields = {
            "csrfmiddlewaretoken": self.token,
            "use_profile_cv": "no",
            "motivation": "Disponible dès le printemps.",
            "declaration": "on",
            "consent": "on",
            "next": "review",
        }
        files = {"letter": ("lettre.pdf", letter), "cv": ("cv.pdf", cv)}
        body, content_type = multipart(fields, files)
        return self.outcome("apply", "POST", f"/missions/{MISSION}/apply/", body, content_type)

    def submit(self) -> Outcome:
        body, content_type = multipart({"csrfmiddlewaretoken": self.token}, {})
        return self.outcome(
            "submit", "POST", f"/missions/{MISSION}/apply/submit/", body, content_type
        )


# Run by `manage.py shell` (one process, as Django's start-up is most of the time): migrate
# the throwaway database, then the mission, the candidates (verified e-mail, complete and
# eligible profile, CV on file), a signed-in session for each, and the draft each started
# earlier (saved with nothing in it yet).
SETUP = """
import json
from django.core.management import call_command
from django.test import Client
from applications.services import application_draft_get
from missions.tests.factories import MissionFactory
from volunteers.tests.factories import VolunteerFactory

call_command("migrate", interactive=False, verbosity=0)
mission = MissionFactory(reference={mission!r})
candidates = []
for _ in range({count}):
    volunteer = VolunteerFactory(user__password=None)  # signed in by session: no hashing
    client = Client()
    client.force_login(volunteer.user)
    draft = application_draft_get(volunteer=volunteer, mission=mission)
    candidates.append([volunteer.user.email, client.cookies["sessionid"].value, draft.pk])
print(json.dumps(candidates))
"""


@dataclass
class Site(Gunicorn):
    """gunicorn serving Volontiers with the production settings, and what it was given."""

    media: Path
    candidates: list[Candidate] = field(default_factory=list)


@pytest.fixture
def site(postgresql_cluster: Cluster, broker: RedisServer, tmp_path: Path) -> Iterator[Site]:
    if find_spec("gunicorn") is None:
        missing("gunicorn is not installed")
    port = spare_port()
    env = production_env(
        host=HOST,
        database_url=postgresql_cluster.url,
        cache_url=f"redis://127.0.0.1:{broker.port}/{CACHE_DB}",
        broker_url=f"redis://127.0.0.1:{broker.port}/{CELERY_DB}",
        work=tmp_path,
        port=port,
        workers=WORKERS,
    )
    (tmp_path / "private").mkdir()
    # DEBUG=0 serves hashed static files from a manifest: collect them while migrating.
    with collecting_static(env):
        rows = json.loads(
            manage(env, "shell", "-v0", "-c", SETUP.format(mission=MISSION, count=2 + EARLY + LATE))
            .strip()
            .splitlines()[-1]
        )
    try:
        with serving(env, port=port, log=tmp_path / "gunicorn.log", workers=WORKERS) as web:
            candidates = [
                Candidate(HOST, port, {"sessionid": session}, email, draft)
                for email, session, draft in rows
            ]
            yield Site(web.process, web.port, web.log, tmp_path / "private", candidates)
    finally:
        # What this test left in the private Redis: rate limits and send tasks of a database
        # that no longer exists.
        for db in (CACHE_DB, CELERY_DB):
            client = redis.Redis(host="127.0.0.1", port=broker.port, db=db)
            try:
                client.flushdb()
            finally:
                client.close()


APP_CONNECTIONS = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND backend_type = 'client backend'
      AND pid <> pg_backend_pid()
"""
# The requests waiting on the test's uncommitted rows: by the statement they wait in, and
# ending their sessions as a fast shutdown does (the same signal).
HELD_SESSIONS = """
    FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
"""
HELD = f"SELECT query {HELD_SESSIONS}"
TERMINATE_HELD = f"SELECT pg_terminate_backend(pid) {HELD_SESSIONS}"
HELD_UPLOAD = 'INSERT INTO "applications_applicationdocument" '
HELD_SUBMIT = 'INSERT INTO "notifications_outboxmessage" '


def attempt(candidate: Candidate, letter: bytes, cv: bytes) -> list[Outcome]:
    """What a candidate does: send the form with both documents, then send the application."""
    applied = candidate.apply(letter, cv)
    if not applied.succeeded():
        return [applied]  # an error page: a person would not press "send" now
    return [applied, candidate.submit()]


@pytest.mark.services
@pytest.mark.real_clock
def test_postgresql_restarted_during_a_burst_of_submissions(
    postgresql_cluster: Cluster, site: Site
) -> None:
    cluster = postgresql_cluster  # the throwaway cluster the site runs on
    letter, cv = pdf_bytes(padding=60_000), pdf_bytes(padding=80_000)
    master = site.process.pid
    workers = worker_pids(master)
    for candidate in site.candidates:
        # Also opens each worker's persistent connection (CONN_MAX_AGE), which the restart breaks.
        candidate.open_form()
    documents = site.media / "applications"

    # The burst. Two candidates are held half-way, one in each worker: one saving the form
    # (letter stored, row and file; CV file written), one sending it (reference taken, history
    # row written). The database then goes down, killing both, stays down while the early
    # candidates post, and comes back before the late ones post.
    upload_held, submit_held = site.candidates[0], site.candidates[1]
    early, late = site.candidates[2 : 2 + EARLY], site.candidates[2 + EARLY :]
    holding, back = threading.Event(), threading.Event()
    locker = cluster.connect()
    locker.autocommit = False
    # Uncommitted rows of the test's own, on the unique keys the held requests will write:
    # their INSERT waits on this transaction. Django's foreign keys are DEFERRABLE INITIALLY
    # DEFERRED, checked at COMMIT, so the rows lock nothing else in the meantime.
    locker.execute(
        "INSERT INTO applications_applicationdocument"
        " (public_id, application_id, kind, file, original_name, file_type, size, uploaded_at,"
        " text, text_state) VALUES (gen_random_uuid(), %s, 'cv', 'held-by-the-test', 'cv.pdf',"
        " 'pdf', 1, now(), '', 'pending')",
        [upload_held.draft],
    )
    locker.execute(
        "INSERT INTO notifications_outboxmessage"
        ' (key, "to", template, context, language, attachments, headers, state, attempts,'
        " last_error, created_at) VALUES (%s, 'held@example.org', 'held', '{}', 'fr', '[]',"
        " '{}', 'pending', 0, '', now())",
        [f"confirmation:{submit_held.draft}"],
    )

    def first(candidate: Candidate) -> list[Outcome]:
        return attempt(candidate, letter, cv)

    def during(index: int, candidate: Candidate) -> list[Outcome]:
        assert holding.wait(timeout=60), "the first two were not held"
        time.sleep(index * STAGGER_SECONDS)
        return attempt(candidate, letter, cv)

    def after(candidate: Candidate) -> list[Outcome]:
        assert back.wait(timeout=60), "the database did not come back"
        return attempt(candidate, letter, cv)

    def held(watcher: psycopg.Connection) -> list[str]:
        return sorted(query.split("(", 1)[0] for (query,) in watcher.execute(HELD).fetchall())

    with ThreadPoolExecutor(max_workers=len(site.candidates)) as pool:
        futures = (
            [pool.submit(first, upload_held), pool.submit(first, submit_held)]
            + [pool.submit(during, index, candidate) for index, candidate in enumerate(early)]
            + [pool.submit(after, candidate) for candidate in late]
        )
        try:
            with cluster.connect() as watcher:
                wait_for(
                    lambda: held(watcher) == [HELD_UPLOAD, HELD_SUBMIT],
                    timeout=20,
                    interval=0.02,
                    message="one upload and one sending held",
                )
                held_files = files_under(documents)
                # A fast shutdown sends every session the same signal at once: had the test's
                # own session gone first, its rows with it, a held request could have gone on
                # and committed before its own signal landed (seen once in about 15 runs).
                # The held sessions get that signal first, while the test's rows still hold
                # them, then the database stops.
                watcher.execute(TERMINATE_HELD)
            holding.set()
            down_at = time.monotonic()
            cluster.stop()  # fast: every other session is killed too
            time.sleep(DOWN_SECONDS)
            cluster.start()
            back_at = time.monotonic()
        finally:
            locker.close()
            holding.set()  # never leave a thread waiting, even when the test fails
            back.set()
        burst = [outcome for future in futures for outcome in future.result(timeout=120)]

    summary = "\n".join(str(outcome) for outcome in burst)
    # Every answer is a success or the branded 503: never a 500, a reset or a refusal.
    unexpected = [o for o in burst if not (o.succeeded() or o.unavailable())]
    assert unexpected == [], f"unexpected answers:\n{summary}\n{site.log_tail()}"
    # The two held requests got the 503: both were in flight when the database went away.
    by_candidate = {(o.candidate, o.step): o for o in burst}
    assert by_candidate[(upload_held.email, "apply")].unavailable(), summary
    assert by_candidate[(submit_held.email, "apply")].succeeded(), summary
    assert by_candidate[(submit_held.email, "submit")].unavailable(), summary
    # On disk while held: the held upload's letter and CV (its transaction, killed since) and
    # the other one's documents (saved before it pressed "send").
    assert len(held_files) == 4
    # Every request sent after the database was back succeeded: each worker dropped its
    # broken connection and opened a new one by itself, with no restart of anything.
    later = [o for o in burst if o.sent_at > back_at]
    assert len(later) >= 2 * len(late) and all(o.succeeded() for o in later), summary
    assert site.process.poll() is None and worker_pids(master) == workers
    # The killed sending left nothing behind: still a draft, no reference, no history row,
    # no confirmation; the killed upload left no document.
    with cluster.connect() as db:
        assert db.execute(
            "SELECT stage, reference, number FROM applications_application WHERE id = %s",
            [submit_held.draft],
        ).fetchone() == ("draft", None, None)
        assert db.execute(
            "SELECT (SELECT count(*) FROM applications_stagechange WHERE application_id = %s),"
            " (SELECT count(*) FROM notifications_outboxmessage WHERE key = %s),"
            " (SELECT count(*) FROM applications_applicationdocument WHERE application_id = %s)",
            [submit_held.draft, f"confirmation:{submit_held.draft}", upload_held.draft],
        ).fetchone() == (0, 0, 0)

    # Second round. First a quiet restart, as for nightly maintenance: every worker holds an
    # idle persistent connection (CONN_MAX_AGE), now broken; a worker must notice and replace
    # it (CONN_HEALTH_CHECKS) instead of failing the next candidate's request.
    def warm(candidate: Candidate) -> int:
        return candidate.request("GET", f"/missions/{MISSION}/apply/")[0]

    with cluster.connect() as watcher, ThreadPoolExecutor(max_workers=WORKERS * 2) as pool:
        wait_for(
            lambda: (
                set(pool.map(warm, site.candidates)) == {200}
                and watcher.execute(APP_CONNECTIONS).fetchone() == (WORKERS,)
            ),
            timeout=20,
            interval=0.02,
            message="a persistent connection in every worker",
        )
    cluster.restart()
    # Then whoever did not get through in the burst tries again.
    finished = {o.candidate for o in burst if o.step == "submit" and o.succeeded()}
    retrying = [c for c in site.candidates if c.email not in finished]
    assert retrying, summary

    def retry(candidate: Candidate) -> tuple[list[Outcome], str]:
        candidate.open_form()
        outcomes = attempt(candidate, letter, cv)
        _status, _location, page = candidate.request("GET", f"/missions/{MISSION}/apply/")
        return outcomes, page

    with ThreadPoolExecutor(max_workers=len(retrying)) as pool:
        second = list(pool.map(retry, retrying))
    second_summary = "\n".join(str(o) for outcomes, _page in second for o in outcomes)
    assert all(
        [o.step for o in outcomes] == ["apply", "submit"] and all(o.succeeded() for o in outcomes)
        for outcomes, _page in second
    ), f"{second_summary}\n{site.log_tail()}"
    assert all("Candidature envoyée. Votre référence" in page for _outcomes, page in second)
    assert site.process.poll() is None and worker_pids(master) == workers

    # The throwaway database and the documents folder, as both rounds left them.
    with cluster.connect() as db:
        applications = db.execute(
            "SELECT a.id, a.stage, a.reference, u.email FROM applications_application a"
            " JOIN volunteers_volunteer v ON v.id = a.volunteer_id"
            " JOIN volunteers_user u ON u.id = v.user_id"
        ).fetchall()
        submitted_changes = db.execute(
            "SELECT application_id, count(*) FROM applications_stagechange"
            " WHERE to_stage = 'submitted' GROUP BY application_id"
        ).fetchall()
        outbox_keys = {key for (key,) in db.execute("SELECT key FROM notifications_outboxmessage")}
        document_rows = db.execute(
            "SELECT application_id, kind, file FROM applications_applicationdocument"
        ).fetchall()
        profile_cvs = {
            name for (name,) in db.execute("SELECT cv FROM volunteers_volunteer WHERE cv <> ''")
        }

    emails = sorted(c.email for c in site.candidates)
    assert sorted(email for _id, _stage, _ref, email in applications) == emails
    # Nothing half-written: every application sent, numbered without a gap or a duplicate
    # (a rolled-back submission took no number), with its history row and its confirmation.
    assert {stage for _id, stage, _ref, _email in applications} == {"submitted"}
    assert sorted(ref for _id, _stage, ref, _email in applications) == [
        f"{MISSION}-{number:04d}" for number in range(1, len(emails) + 1)
    ]
    ids = {application_id for application_id, *_rest in applications}
    assert sorted(submitted_changes) == sorted((application_id, 1) for application_id in ids)
    assert outbox_keys == {f"confirmation:{application_id}" for application_id in ids}
    kinds = sorted((application_id, kind) for application_id, kind, _file in document_rows)
    assert kinds == sorted((i, kind) for i in ids for kind in ("cv", "letter"))
    # No row without its file, no file without its row: the held uploads' letters are gone.
    # A request whose COMMIT the stop cut short may have committed: its files stay, logged,
    # for the daily sweep (core.documents.atomic_with_files), which removes them then.
    named = {name for _id, _kind, name in document_rows} | profile_cvs
    on_disk = set(files_under(site.media))
    kept_for_sweep = set(re.findall(r"applications/[0-9a-f]{2}/[0-9a-f]{32}\.\w+", "".join(
        line for line in site.log.read_text(errors="replace").splitlines()
        if "files kept for the sweep" in line
    )))  # fmt: skip
    assert named <= on_disk and on_disk - named <= kept_for_sweep
    assert not any((documents / name).exists() for name in held_files)
    statuses = Counter(f"{o.step} {o.status}" for o in burst)
    print(  # shown with -s or -rP: what the burst did
        f"burst: {dict(sorted(statuses.items()))}, {len(finished)} of {len(emails)} candidates"
        f" sent their application, database down {back_at - down_at:.2f} s;"
        f" second round: {len(retrying)} candidates, all sent"
    )
