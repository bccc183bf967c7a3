import datetime as dt
import zoneinfo

from django import template

from core.dates import long_date

register = template.Library()


@register.filter
def as_date(value: str) -> str:
    """An ISO date from a message's JSON context, written in the recipient's language as the
    site writes it (« 12 octobre 2026 », « 1er avril 2027 »)."""
    return long_date(dt.date.fromisoformat(value))


@register.simple_tag
def local_time(value: str, zone: str) -> str:
    """An ISO instant from a message's context, as the day and time in a time zone, the zone
    named: « 30 mars 2027, 09:00 (Europe/Paris) »."""
    moment = dt.datetime.fromisoformat(value).astimezone(zoneinfo.ZoneInfo(zone))
    return f"{long_date(moment.date())}, {moment:%H:%M} ({zone})"
