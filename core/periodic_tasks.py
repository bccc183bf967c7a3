"""The default periodic tasks (``DEFAULTS``), installed once, never rewritten.

Staff change a schedule in the admin (Periodic tasks) and expect it to hold. Beat
therefore installs nothing (``CELERY_BEAT_SCHEDULE`` is empty): a data migration creates the
defaults it names when the site is first migrated, and ``manage.py install_periodic_tasks``
creates any default that is missing, for instance one deleted by mistake. Neither touches
a row that exists: an edited interval, a disabled task stay as staff left them.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.apps.registry import Apps
from django.db import transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

BEAT = "django_celery_beat"

# The default periodic tasks: interval in seconds, or a crontab (minute, hour, timezone).
# Each task works out per mission, in the mission's time zone, what is due. A migration
# installs them once; beat never writes them again, and `manage.py install_periodic_tasks`
# only creates those missing. A new entry here needs a data migration naming it
# (core/migrations/0001_periodic_tasks.py shows how): sites already installed do not run
# the first one again.
DEFAULTS: dict[str, dict[str, Any]] = {
    "outbox-sweep": {"task": "notifications.tasks.sweep_outbox", "seconds": 60},
    # Webhooks lost or due for a retry; endpoints failing for days disabled.
    "webhook-sweep": {"task": "webhooks.tasks.sweep_deliveries", "seconds": 60},
    "draft-reminders": {"task": "applications.tasks.remind_unfinished_drafts", "seconds": 900},
    "training-reminders": {"task": "applications.tasks.remind_training", "seconds": 3600},
    "staff-digests": {"task": "applications.tasks.send_staff_digests", "seconds": 900},
    "retention": {"task": "applications.tasks.purge_expired_candidates", "seconds": 86400},
    "document-sweep": {"task": "applications.tasks.sweep_orphan_documents", "seconds": 86400},
    "interview-reminders": {"task": "review.tasks.remind_interviews", "seconds": 900},
    # At a fixed hour rather than an interval: the digests arrive with the morning's mail.
    "alert-digests": {
        "task": "alerts.tasks.send_alert_digests",
        "crontab": {"minute": "0", "hour": "7", "timezone": "Europe/Paris"},
    },
    "search-catch-up": {"task": "talent.tasks.catch_up", "seconds": 600},
    # The public pages' view and eligibility counts, from the cache to the dashboard's tables.
    "page-counters": {"task": "missions.tasks.flush_counters", "seconds": 300},
    # Monday morning: the week's figures to recruitment managers, with the dashboard's link.
    "weekly-staff-digest": {
        "task": "dashboard.tasks.send_weekly_digests",
        "crontab": {"minute": "0", "hour": "7", "day_of_week": "1", "timezone": "Europe/Paris"},
    },
}


def periodic_tasks_install(apps: Apps, *, names: Iterable[str]) -> list[str]:
    """Create the named defaults that have no row; return the names created.

    Models come from ``apps`` so that a migration passes its historical ones. A name no
    longer among the defaults (a task since withdrawn) is skipped, so that old migrations
    still run on a new site.
    """
    task_model: Any = apps.get_model(BEAT, "PeriodicTask")
    wanted = [name for name in names if name in DEFAULTS]
    with transaction.atomic():
        existing = set(task_model.objects.filter(name__in=wanted).values_list("name", flat=True))
        created = [name for name in wanted if name not in existing]
        for name in created:
            default: dict[str, Any] = DEFAULTS[name]
            if "crontab" in default:
                schedule = {"crontab": _crontab(apps, default["crontab"])}
            else:
                schedule = {"interval": _interval(apps, default["seconds"])}
            task_model.objects.create(name=name, task=default["task"], **schedule)
    return created


def _interval(apps: Apps, seconds: int) -> Any:
    """The interval of ``seconds``, reused if staff already have one (the table allows twins)."""
    interval_model: Any = apps.get_model(BEAT, "IntervalSchedule")
    found = interval_model.objects.filter(every=seconds, period="seconds").order_by("pk").first()
    return found or interval_model.objects.create(every=seconds, period="seconds")


def _crontab(apps: Apps, fields: dict[str, str]) -> Any:
    """The crontab of these fields (minute, hour, day of week, timezone), reused if staff
    already have it."""
    crontab_model: Any = apps.get_model(BEAT, "CrontabSchedule")
    found = crontab_model.objects.filter(**fields).order_by("pk").first()
    return found or crontab_model.objects.create(**fields)


def periodic_tasks_migration(
    names: Iterable[str],
) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    """The RunPython step of a migration installing these defaults (missing ones only)."""

    def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        periodic_tasks_install(apps, names=names)

    return install
