"""The default periodic tasks are installed once; what staff change in the admin stays.

django-celery-beat's DatabaseScheduler used to write the settings' schedule over the rows
of the same names at every beat start: an interval changed to 30 minutes read one hour
again, a deleted task came back. These tests edit the rows as the admin does, start a real
``celery beat`` and check that it changed nothing, and check that the migration and the
command create the missing defaults only.
"""

import contextlib
import io
from pathlib import Path

import pytest
from celery import current_app as celery_app  # the project's (config/celery.py)
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core import periodic_tasks
from testing.celery_processes import CeleryBeat
from testing.redis_server import RedisServer
from testing.services import spare_port, wait_for

PROBE = "test-probe"  # fires every second: the beat has read the schedule once it has fired


def every(seconds: int) -> IntervalSchedule:
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=seconds, period=IntervalSchedule.SECONDS
    )
    return interval


def edit_as_staff() -> None:
    """Training reminders every 30 minutes, no staff digest."""
    training = PeriodicTask.objects.get(name="training-reminders")
    training.interval = every(1800)
    training.save()
    digests = PeriodicTask.objects.get(name="staff-digests")
    digests.enabled = False
    digests.save()


def snapshot() -> tuple[list[tuple[object, ...]], ...]:
    """Every column of every schedule row (but the probe's), ``date_changed`` included: a
    row saved again, even with the same values, shows."""
    return (
        sorted(PeriodicTask.objects.exclude(name=PROBE).values_list()),
        sorted(IntervalSchedule.objects.values_list()),
        sorted(CrontabSchedule.objects.values_list()),
    )


def installed() -> dict[str, tuple[str, int | None, bool]]:
    """Each task's name, task, interval in seconds (None for another kind) and state."""
    return {
        task.name: (task.task, task.interval and task.interval.every, task.enabled)
        for task in PeriodicTask.objects.select_related("interval")
    }


def defaults() -> dict[str, tuple[str, int | None, bool]]:
    return {
        name: (default["task"], default.get("seconds"), True)
        for name, default in periodic_tasks.DEFAULTS.items()
    }


def install(*, expect: str) -> None:
    out = io.StringIO()
    call_command("install_periodic_tasks", stdout=out)
    assert out.getvalue().strip() == expect


@pytest.mark.django_db
def test_the_command_creates_missing_defaults_only_and_never_changes_a_task():
    PeriodicTask.objects.all().delete()

    install(expect=f"Periodic tasks created: {', '.join(periodic_tasks.DEFAULTS)}.")
    assert installed() == defaults()

    edit_as_staff()
    PeriodicTask.objects.get(name="document-sweep").delete()
    edited = snapshot()
    install(expect="Periodic tasks created: document-sweep.")
    after = snapshot()
    assert [row for row in after[0] if row[1] != "document-sweep"] == edited[0]
    assert installed()["training-reminders"][1:] == (1800, True)
    assert installed()["staff-digests"][1:] == (900, False)
    assert installed()["document-sweep"] == defaults()["document-sweep"]

    install(expect="Periodic tasks: every default exists, nothing created.")
    assert snapshot() == after


@pytest.mark.django_db(transaction=True)  # migrate needs to run outside a test transaction
def test_the_migration_installs_the_defaults_on_a_new_site_and_changes_nothing_after():
    call_command("migrate", "core", "zero", verbosity=0)
    PeriodicTask.objects.all().delete()
    call_command("migrate", "core", verbosity=0)
    assert installed() == defaults()

    # A site where beat had installed every default, edited since: the migration keeps it all.
    edit_as_staff()
    edited = snapshot()
    call_command("migrate", "core", "zero", verbosity=0)
    call_command("migrate", "core", verbosity=0)
    assert snapshot() == edited


def test_every_default_is_installed_by_a_migration():
    """Sites already migrated run only new migrations: a default that none names would
    never reach them."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    named = {
        name
        for (app, _), migration in loader.disk_migrations.items()
        if app == "core"
        for name in getattr(migration, "periodic_tasks", ())
    }
    assert set(periodic_tasks.DEFAULTS) <= named, "add a data migration naming the new default"


def test_beat_has_no_schedule_of_its_own():
    assert celery_app.conf.beat_schedule == {}
    assert celery_app.conf.result_expires is None  # or beat writes celery.backend_cleanup back


@pytest.mark.django_db(transaction=True)  # the beat must see committed rows
@pytest.mark.usefixtures("postgresql_database", "broker")  # it shares the test database
@pytest.mark.real_clock
def test_a_real_beat_start_keeps_the_schedules_staff_edited(tmp_path: Path):
    PeriodicTask.objects.all().delete()  # the test database's migrations installed them
    install(expect=f"Periodic tasks created: {', '.join(periodic_tasks.DEFAULTS)}.")
    edit_as_staff()
    PeriodicTask.objects.get(name="document-sweep").delete()  # beat used to bring it back
    PeriodicTask.objects.create(name=PROBE, task="probe", interval=every(1))
    edited = snapshot()

    # A Redis of its own: what this beat sends is never run by another test's worker.
    queue = RedisServer(spare_port())
    beat = CeleryBeat(queue.url, spare_port(), tmp_path / "beat.log")  # it sends no mail
    try:
        queue.start()
        beat.start()

        def ticking() -> bool:
            beat.check_alive()
            return beat.fired(PROBE) >= 2

        wait_for(ticking, timeout=30, interval=0.2, message="the beat to read its schedule")
    finally:
        with contextlib.ExitStack() as stopping:  # each one is stopped even if the other fails
            stopping.callback(queue.stop)
            stopping.callback(beat.stop)  # by its own process id, first

    assert installed()["training-reminders"][1:] == (1800, True), beat.log.read_text()
    assert installed()["staff-digests"][1:] == (900, False)
    assert "document-sweep" not in installed()
    assert snapshot() == edited
