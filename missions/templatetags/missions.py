import datetime as dt

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import dates
from core.text import posting_html

register = template.Library()


@register.simple_tag
def time_left(deadline: dt.datetime, now: dt.datetime | None = None) -> str:
    """« plus que 3 jours », « plus que 5 heures », or « candidatures closes »."""
    remaining = deadline - (now or timezone.now())
    if remaining <= dt.timedelta(0):
        return _("candidatures closes")
    if remaining >= dt.timedelta(days=1):
        days = remaining.days
        return ngettext("plus que %(count)d jour", "plus que %(count)d jours", days) % {
            "count": days
        }
    hours = max(1, int(remaining.total_seconds() // 3600))
    return ngettext("plus que %(count)d heure", "plus que %(count)d heures", hours) % {
        "count": hours
    }


@register.filter
def posting_text(text: str) -> SafeString:
    """A posting section as HTML (see core.text)."""
    return posting_html(text)


@register.filter
def long_date(value: dt.date | None) -> str:
    """« 12 octobre 2026 », « 1er avril 2027 » (see core.dates); nothing for no date."""
    return dates.long_date(value) if value else ""
