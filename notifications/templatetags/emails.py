import datetime as dt

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def as_date(value: str, format_name: str = "DATE_FORMAT") -> str:
    """An ISO date from a message's JSON context, written the recipient's way (12 octobre 2026)."""
    return formats.date_format(dt.date.fromisoformat(value), format_name)
