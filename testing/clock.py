"""The tests' "now": one instant for the whole suite, so that no test depends on today's date.

Every test runs at ``NOW`` (the root conftest's ``pinned_now``, with time-machine), and
builds its dates from the current day: ``days(30)`` is thirty days after today, read when
called (in a test or a factory, never at import), so that it follows the pinned clock, or the
real one. ``TEST_CLOCK_AHEAD_DAYS`` moves ``NOW`` ahead; CI runs the in-process suite again
a year and three years ahead (``make test-ahead``) to prove that nothing is tied to a
calendar date. Tests that start other processes (a worker, gunicorn, a beat) or serve a
browser run on the real clock, which time-machine cannot move for those processes: they are
marked ``real_clock`` (or use ``live_server``).
"""

import datetime as dt
import os
import time
from pathlib import Path

from django.utils import timezone

BASE = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
AHEAD = dt.timedelta(days=int(os.environ.get("TEST_CLOCK_AHEAD_DAYS", "0")))
NOW = BASE + AHEAD


def days(count: int) -> dt.date:
    """The day ``count`` days from today (before it when negative), in the project's zone."""
    return timezone.localdate() + dt.timedelta(days=count)


def at(count: int, hour: int = 12, tz: dt.tzinfo = dt.UTC) -> dt.datetime:
    """An instant ``count`` days from today, at an hour of a time zone."""
    return dt.datetime.combine(days(count), dt.time(hour), tzinfo=tz)


def stamp_tree(root: Path) -> None:
    """Give every file under ``root`` the tests' "now" as its modification time: the
    filesystem keeps the real clock, which time-machine does not move."""
    now = time.time()  # time-machine's, in a test
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (now, now))
