import datetime as dt
import re

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    """A posting section as HTML: blank-line separated paragraphs, "• " lines as a list."""
    blocks = []
    # Browsers send textareas with CRLF line ends; blank lines may hold spaces.
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("• ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            blocks.append(format_html("<ul>{}</ul>", items))
        elif lines:
            blocks.append(format_html("<p>{}</p>", " ".join(lines)))
    return SafeString("".join(blocks))
