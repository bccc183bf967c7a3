"""Two beat processes started by mistake: no reminder is sent twice.

Celery beat must run once, yet a second one is easy to start by mistake (an old container
left running, a deploy that forgets to stop the previous beat). Both then fire every
periodic task, so each reminder task runs twice per period, often at the same instant.
This test starts two real ``celery beat`` processes (DatabaseScheduler, on the test
database) that fire the three reminder tasks every second, and one real worker with
several processes, so that twin runs overlap whenever the beats' ticks coincide. It proves that the outbox keys make each
reminder reach the real SMTP server exactly once, and that the beats did fire many times
(otherwise the test could not fail).
"""

import contextlib
import datetime as dt
import itertools
import re
import time
import zoneinfo
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from applications.models import Application, Stage
from missions.models import Mission
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from testing.celery_processes import CeleryBeat, CeleryWorker
from testing.redis_server import RedisServer
from testing.services import wait_for
from testing.smtp import SmtpServer
from volunteers.models import User, Volunteer

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the processes must see committed rows
    pytest.mark.usefixtures("postgresql_database"),  # they share the test database
    pytest.mark.real_clock,
]

# Our own periodic tasks, firing every second, and only them: the defaults that the test
# database's migrations installed have never run, so a beat would fire those installed
# longer ago than their interval at once, and count extra reminder runs.
REMINDER_TASKS = {
    "test-draft-reminders": "applications.tasks.remind_unfinished_drafts",
    "test-training-reminders": "applications.tasks.remind_training",
    "test-staff-digests": "applications.tasks.send_staff_digests",
}
FIRINGS = 6  # periods each beat must fire every reminder task before we stop it


def quiet_zone() -> tuple[str, dt.date]:
    """A mission time zone where it is far from midnight now, and today's date there.

    The reminders are computed from the real clock (the beats run in other processes);
    a date that changed during the test would make a draft due or not due by chance.
    Dakar (UTC+0) and Efate (UTC+11) are never both within 5 hours of midnight.
    """
    now = timezone.now()

    def from_midnight(zone: str) -> int:
        local = now.astimezone(zoneinfo.ZoneInfo(zone))
        minutes = local.hour * 60 + local.minute
        return min(minutes, 24 * 60 - minutes)

    zone = max(("Africa/Dakar", "Pacific/Efate"), key=from_midnight)
    return zone, now.astimezone(zoneinfo.ZoneInfo(zone)).date()


def candidate(number: int) -> Volunteer:
    """A volunteer who never logs in here (no password to hash, no CV to write)."""
    user = User.objects.create_user(email=f"candidate{number}@example.org")
    return Volunteer.objects.create(
        user=user, first_name="Awa", last_name="Martin", nationalities="FR", residence="FR",
        city="Lyon", phone="+33612345678", education_level="bac5", education_field="ESS",
        experience_years=3,
    )  # fmt: skip


def due_reminders() -> dict[str, str]:
    """Write drafts, selected volunteers and reviewers each due for one message right now.

    Returns the outbox key expected for each recipient's address.
    """
    zone, today = quiet_zone()
    day = dt.timedelta(days=1)
    expected: dict[str, str] = {}
    numbers = itertools.count(1)

    # Closing tonight: the 1-day reminder; closing in 6 days, at midnight: the 7-day one.
    closing: Mission = MissionFactory.create(time_zone=zone, deadline_date=today)
    next_week: Mission = MissionFactory.create(time_zone=zone, deadline_date=today + 6 * day)
    for mission, name, drafts in ((closing, "reminder-1d", 3), (next_week, "reminder-7d", 2)):
        for _ in range(drafts):
            draft = Application.objects.create(volunteer=candidate(next(numbers)), mission=mission)
            expected[draft.volunteer.user.email] = f"{name}:{draft.pk}"
    # A candidate who has already applied gets no reminder (nor any other message).
    Application.objects.create(
        volunteer=candidate(next(numbers)), mission=closing, stage=Stage.SUBMITTED
    )

    # Training in 7 days: the selected volunteers hear of it, the rejected one does not.
    trained: Mission = MissionFactory.create(
        time_zone=zone,
        deadline_date=today - 30 * day,
        training_start=today + 7 * day,
        training_end=today + 11 * day,
    )
    for number, stage in enumerate((Stage.SELECTED, Stage.SELECTED, Stage.REJECTED), start=1):
        application = Application.objects.create(
            volunteer=candidate(next(numbers)),
            mission=trained,
            stage=stage,
            number=number,
            reference=f"{trained.reference}-{number:04d}",
        )
        if stage == Stage.SELECTED:
            expected[application.volunteer.user.email] = f"training-14d:{application.pk}"

    # Closed between 24 and 48 hours ago: its reviewers get the morning digest.
    closed: Mission = MissionFactory.create(time_zone=zone, deadline_date=today - 2 * day)
    permission = Permission.objects.get(codename="view_application")
    for address in ("rh1@example.org", "rh2@example.org"):
        reviewer = User.objects.create_user(email=address, is_staff=True)
        reviewer.user_permissions.add(permission)
        expected[address] = f"digest:{closed.pk}:{reviewer.pk}"
    return expected


def tasks_in(log: str, task: str = r"\S+") -> tuple[int, int]:
    """(received, finished) counts of a task in a worker's log."""
    received = len(re.findall(rf"Task {task}\[[\w-]+\] received", log))
    finished = len(re.findall(rf"Task {task}\[[\w-]+\] (?:succeeded|raised|retry)", log))
    return received, finished


def test_two_beats_by_mistake_send_each_reminder_once(
    broker: RedisServer, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    expected = due_reminders()
    PeriodicTask.objects.all().delete()
    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    for name, task in REMINDER_TASKS.items():
        PeriodicTask.objects.create(name=name, task=task, interval=every_second)

    # Several processes, as in production: when the two beats' ticks coincide, the twin
    # runs of a reminder task (and the sends they queue) really execute at the same time.
    worker = CeleryWorker(broker.url, smtp_server.port, tmp_path / "worker.log", concurrency=4)
    beats = [CeleryBeat(broker.url, smtp_server.port, tmp_path / f"beat{i}.log") for i in (1, 2)]
    queue = redis.Redis.from_url(broker.url)
    started = time.monotonic()
    try:
        worker.start()
        for beat in beats:
            beat.start()

        def fired_enough() -> bool:
            for beat in beats:
                beat.check_alive()
            return all(beat.fired(name) >= FIRINGS for beat in beats for name in REMINDER_TASKS)

        wait_for(fired_enough, timeout=30, interval=0.5, message="both beats firing every second")
        for beat in beats:
            beat.stop()
        fired = {name: sum(beat.fired(name) for beat in beats) for name in REMINDER_TASKS}

        def settled() -> bool:
            """Every task the beats sent has run, and every send it queued has run too."""
            log = worker.log.read_text()
            return (
                all(
                    tasks_in(log, re.escape(REMINDER_TASKS[name]))[1] == fired[name]
                    for name in fired
                )
                and queue.llen("celery") == 0
                and tasks_in(log)[0] == tasks_in(log)[1]
                and not OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists()
            )

        wait_for(settled, timeout=30, interval=0.5, message="the worker to finish every task")
        time.sleep(1)  # a send fetched just before the last check would show up by now
        wait_for(settled, timeout=10, interval=0.5, message="the worker to finish every task")
    finally:
        with contextlib.ExitStack() as stopping:  # each one is stopped even if another fails
            for process in (worker, *beats):
                stopping.callback(process.stop)  # by its own process id
            stopping.callback(queue.close)
    elapsed = time.monotonic() - started

    # The beats really fired every reminder task several times each, and the worker ran
    # every one of those runs: each reminder was looked for by a dozen runs or more.
    for beat in beats:
        for name in REMINDER_TASKS:
            assert beat.fired(name) >= FIRINGS, beat.log.read_text()
    worker_log = worker.log.read_text()
    for name, task in REMINDER_TASKS.items():
        assert tasks_in(worker_log, re.escape(task)) == (fired[name], fired[name])

    # Yet each recipient received exactly one message, the one its key stands for.
    received = Counter(message["To"] for message in smtp_server.messages)
    assert received == Counter(dict.fromkeys(expected, 1)), received
    message_ids = Counter(message["Message-ID"] for message in smtp_server.messages)
    assert message_ids == Counter(
        f"<{key.replace(':', '.')}@volontiers>" for key in expected.values()
    )
    rows = OutboxMessage.objects.values_list("key", "to", "state", "attempts")
    assert sorted(rows) == sorted((key, to, "sent", 1) for to, key in expected.items())
    print(f"{sum(fired.values())} reminder runs, {len(expected)} e-mails in {elapsed:.1f} s")
