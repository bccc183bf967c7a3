"""Alerts as a subscriber makes them: signed up, then confirmed, through the services."""

import datetime as dt
from typing import Any

from django.utils import timezone

from alerts import services
from alerts.models import Alert
from missions.tests.factories import MissionFactory


def confirmed_alert(
    email: str = "awa@example.org",
    *,
    frequency: str = Alert.Frequency.DAILY,
    language: str = "fr",
    at: dt.datetime | None = None,
    **search: Any,
) -> Alert:
    """An active alert, confirmed at ``at`` (two days ago by default)."""
    at = at or timezone.now() - dt.timedelta(days=2)
    Alert.objects.filter(email=email, state=Alert.State.PENDING).delete()  # no day's wait
    alert = services.alert_subscribe(
        email=email, search=search, frequency=frequency, language=language, user=None, now=at
    )
    assert alert is not None
    services.alert_confirm(alert=alert, now=at)
    return alert


def published_mission(at: dt.datetime | None = None, **fields: Any) -> Any:
    """A published mission, first published at ``at`` (an hour ago by default)."""
    mission = MissionFactory(**fields)
    mission.published_at = at or timezone.now() - dt.timedelta(hours=1)
    mission.save(update_fields=["published_at"])
    return mission
