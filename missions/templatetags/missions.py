import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import dates
from core.text import posting_html
from missions.languages import in_french_only
from missions.models import Mission

# Under a field an English reader reads in French: the mission was written in French only.
FRENCH_ONLY_NOTE = gettext_lazy("Texte disponible en français uniquement.")

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


@register.simple_tag
def french_lang(mission: Mission, field: str) -> SafeString:
    """` lang="fr"` on the element of a field read in French on a page in another language
    (missions/languages.py), so that a screen reader reads it with a French voice."""
    return SafeString(' lang="fr"' if in_french_only(mission, field) else "")


@register.simple_tag
def mission_text(mission: Mission, field: str, paragraphs: bool = True) -> SafeString:
    """A section of the posting in the reader's language (``posting_html``, or one paragraph
    of plain text): in French, marked so, with a note saying so, when it has no translation."""
    text = getattr(mission, field)
    body = posting_html(text) if paragraphs else format_html("<p>{}</p>", text)
    if not in_french_only(mission, field):
        return body
    return format_html(
        '<p class="french-only small text-body-secondary mb-1">{}</p><div lang="fr">{}</div>',
        FRENCH_ONLY_NOTE,
        body,
    )


@register.simple_tag
def french_only_note(mission: Mission, field: str) -> SafeString:
    """The note under a heading read in French (the title): nothing when translated."""
    if not in_french_only(mission, field):
        return SafeString("")
    return format_html('<p class="french-only small text-body-secondary">{}</p>', FRENCH_ONLY_NOTE)


@register.simple_tag
def mission_field(mission: Mission, field: str) -> SafeString:
    """A field of the mission in a sentence or a heading (its title, its city), escaped, and
    marked ``lang="fr"`` when the page's language reads it in French."""
    value = getattr(mission, field)
    if in_french_only(mission, field):
        return format_html('<span lang="fr">{}</span>', value)
    return conditional_escape(value)
