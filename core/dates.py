"""Days as the site writes them: « 12 octobre 2026 », and « 1er avril 2027 » in French."""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import pgettext


def long_date(value: dt.date) -> str:
    """A day written out in the active language: « 12 octobre 2026 », "12 October 2026".

    French writes the first of a month as an ordinal, « 1er avril 2027 »; Django's date
    formats have no French ordinal, so that day's format is a translation of its own. An
    aware date and time is the day it is in the current time zone, as with the ``date``
    template filter.
    """
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.day == 1:
        # Translators: Django's date format for the first of a month ("1er avril 2027"); a
        # backslash keeps a letter as it is.
        return formats.date_format(value, pgettext("date, le premier du mois", r"j\e\r F Y"))
    return formats.date_format(value, "j F Y")


def backoff(attempts: int, *, base_seconds: float, max_seconds: float) -> dt.timedelta:
    """The wait before the next try after ``attempts`` failed ones: base, 2×base, 4×base…,
    at most ``max_seconds`` (the outbox's e-mails, the webhooks' deliveries)."""
    seconds = base_seconds * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, max_seconds))


def months(count: int) -> dt.timedelta:
    """``count`` average months, to the day (a retention period)."""
    return dt.timedelta(days=round(count * 365.25 / 12))
