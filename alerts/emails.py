"""E-mails of the alerts: the confirmation link and the digest. One function per message,
each returning an outbox draft in the subscriber's language."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from alerts.models import Alert
from alerts.tokens import link_token, token_hash
from core.countries import country_name
from missions.languages import text_in
from missions.models import Mission
from notifications.outbox import Draft

# RFC 8058: a mail client unsubscribes with one POST to the List-Unsubscribe address.
ONE_CLICK_HEADERS = {
    "List-Unsubscribe": "<{unsubscribe_url}>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


def site_url(alert: Alert, name: str, *args: str) -> str:
    with translation.override(alert.language):
        return f"{settings.SITE_URL}{reverse(name, args=args)}"


def search_context(alert: Alert) -> dict[str, str]:
    """What the alert looks for, in words of the subscriber's language."""
    with translation.override(alert.language):
        return {
            "words": alert.words,
            "country": country_name(alert.country, alert.language) if alert.country else "",
            "programme": alert.programme_label(),
            "framework": str(alert.get_framework_display()) if alert.framework else "",
            "frequency": str(alert.get_frequency_display()).lower(),
        }


def alert_confirmation(alert: Alert, token: str) -> Draft:
    """The double opt-in's link; one per address and day (the key), whatever the search."""
    day = alert.created_at.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    return Draft(
        key=f"alert-confirm:{token_hash(alert.email.lower())[:16]}:{day.isoformat()}",
        to=alert.email,
        template="alert_confirmation",
        context={**search_context(alert), "url": site_url(alert, "alerts:confirm", token)},
        language=alert.language,
        secrets=("url",),
    )


def mission_item(alert: Alert, mission: Mission) -> dict[str, str]:
    deadline = mission.deadline_at.astimezone(zoneinfo.ZoneInfo(mission.time_zone))
    url = site_url(alert, "missions:detail", mission.reference)
    return {
        "reference": mission.reference,
        "title": text_in(mission, "title", alert.language),
        "country": country_name(mission.host_country, alert.language),
        # The last day to apply, in the mission's zone (the deadline is that day's end).
        "deadline": (deadline - dt.timedelta(microseconds=1)).date().isoformat(),
        "url": f"{url}?source=alert",
    }


def catalogue_url(alert: Alert) -> str:
    """The catalogue's page for the alert's search."""
    search = {name: value for name, value in alert.filters().items() if value}
    return (
        f"{site_url(alert, 'missions:list')}?{urlencode(search)}"
        if search
        else site_url(alert, "missions:list")
    )


def alert_digest(
    alert: Alert, missions: list[Mission], *, since: dt.datetime, more: bool = False
) -> Draft:
    """The new missions of one alert. The key names the alert and the run it follows: two
    runs that saw the same alert write one message."""
    token = link_token(alert.token_salt)
    context = {
        **search_context(alert),
        "missions": [mission_item(alert, mission) for mission in missions],
        "unsubscribe_url": site_url(alert, "alerts:unsubscribe", token),
        "manage_url": site_url(alert, "alerts:manage", token),
        "more": more,  # missions left out of the digest: the catalogue lists them
        "catalogue_url": catalogue_url(alert),
    }
    return Draft(
        key=f"alert-digest:{alert.pk}:{int(since.timestamp())}",
        to=alert.email,
        template="alert_digest",
        context=context,
        language=alert.language,
        secrets=("unsubscribe_url", "manage_url"),
        headers=ONE_CLICK_HEADERS,
    )
