"""Reminders of unfinished drafts, written to the outbox by Celery beat: each one once, never late.

Each function looks at the database for what is due now, in each mission's own
time zone, and writes messages whose keys make them unique, so running it
every few minutes (or twice at once) sends each reminder exactly once.
"""

import datetime as dt

from applications import emails
from applications.models import Application
from missions.models import Mission
from notifications.outbox import enqueue_many

DAY = dt.timedelta(days=1)
# Reminder name -> how long before the deadline its one-day window opens.
DRAFT_REMINDERS = {"reminder-7d": 7 * DAY, "reminder-1d": DAY}


def remind_unfinished_drafts(*, now: dt.datetime) -> int:
    """Drafts get a reminder 7 days and 1 day before the deadline; none once it has passed."""
    drafts = []
    for name, before in DRAFT_REMINDERS.items():
        # The window lasts one day, so a beat outage of a few hours still sends it.
        due = (
            Application.objects.drafts()
            .filter(
                mission__status=Mission.Status.PUBLISHED,
                mission__deadline_at__gt=max(now, now + before - DAY),
                mission__deadline_at__lte=now + before,
            )
            .select_related("mission", "volunteer__user")
        )
        drafts += [
            emails.draft_reminder(application, name=name)
            for application in due.iterator(chunk_size=2000)
        ]
    return enqueue_many(drafts)
