import datetime as dt

from django import template

from core.dates import long_date

register = template.Library()


@register.filter
def as_date(value: str) -> str:
    """An ISO date from a message's JSON context, written in the recipient's language as the
    site writes it (« 12 octobre 2026 », « 1er avril 2027 »)."""
    return long_date(dt.date.fromisoformat(value))
