"""Alerts: sign-up with a double opt-in, confirmation, digests, unsubscribing and managing."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation

from alerts import emails
from alerts.models import Alert, AlertQuerySet, SentMission
from alerts.tokens import link_token, new_token, token_hash
from missions.models import Mission
from missions.selectors import missions_for_catalogue
from notifications import outbox
from volunteers.models import User

# No second confirmation e-mail to an unconfirmed address within this time.
CONFIRMATION_INTERVAL = dt.timedelta(days=1)
PERIODS = {
    Alert.Frequency.DAILY: dt.timedelta(days=1),
    Alert.Frequency.WEEKLY: dt.timedelta(days=7),
}
# A run a little earlier than the day before (beat's clock, a slow run, the spring's one-hour
# clock change) still counts.
SLACK = dt.timedelta(hours=3)
# Missions published while the last run ran are looked at again (the sent ones are skipped).
OVERLAP = dt.timedelta(hours=1)
DIGEST_MAX = 30  # missions listed in one digest; it links to the catalogue for the others
# An alert never confirmed is deleted after this time (its link then opens nothing).
UNCONFIRMED_LIFETIME = dt.timedelta(days=7)


def alert_subscribe(
    *,
    email: str,
    search: dict[str, Any],
    frequency: str,
    language: str,
    user: User | None,
    now: dt.datetime,
) -> Alert | None:
    """Save a pending alert and e-mail its confirmation link; None (nothing saved, nothing
    sent) when this address already got a confirmation link within a day: a bot cannot use
    the form to flood an address, and the visitor's page is the same either way."""
    with transaction.atomic():
        recent = Alert.objects.filter(
            email__iexact=email,
            state=Alert.State.PENDING,
            created_at__gt=now - CONFIRMATION_INTERVAL,
        )
        if recent.exists():
            return None
        token, salt = new_token(), new_token()
        alert = Alert.objects.create(
            email=email,
            user=user if user is not None and user.email.lower() == email.lower() else None,
            language=language,
            words=search.get("q") or "",
            country=search.get("country") or "",
            programme=search.get("programme") or "",
            framework=search.get("framework") or "",
            frequency=frequency,
            confirm_token_hash=token_hash(token),
            token_salt=salt,
            token_hash=token_hash(link_token(salt)),
        )
        outbox.enqueue(emails.alert_confirmation(alert, token))
    return alert


def alert_of_confirm_token(token: str) -> Alert | None:
    return Alert.objects.filter(confirm_token_hash=token_hash(token)).first()


def alert_of_token(token: str) -> Alert | None:
    """The alert whose digests carry this unsubscribe and manage token, or None."""
    return Alert.objects.filter(token_hash=token_hash(token)).first()


def alert_confirm(*, alert: Alert, now: dt.datetime) -> bool:
    """Activate a pending alert; True if it changed (a second click changes nothing)."""
    changed = Alert.objects.filter(pk=alert.pk, state=Alert.State.PENDING).update(
        state=Alert.State.ACTIVE, confirmed_at=now
    )
    alert.refresh_from_db()
    return bool(changed)


def alert_unsubscribe(*, alert: Alert, now: dt.datetime) -> bool:
    """Stop an alert; True if it changed (a replayed link changes nothing)."""
    changed = Alert.objects.filter(pk=alert.pk).exclude(state=Alert.State.UNSUBSCRIBED)
    done = changed.update(state=Alert.State.UNSUBSCRIBED, unsubscribed_at=now)
    alert.refresh_from_db()
    return bool(done)


def alerts_unsubscribe_all(*, alerts: QuerySet[Alert], now: dt.datetime) -> int:
    """Stop every alert of a subscriber (``alerts``: their queryset); how many changed."""
    live = alerts.exclude(state=Alert.State.UNSUBSCRIBED)
    return int(live.update(state=Alert.State.UNSUBSCRIBED, unsubscribed_at=now))


def alert_set_frequency(*, alert: Alert, frequency: str) -> Alert:
    if frequency not in Alert.Frequency.values:
        raise ValueError(f"Unknown frequency: {frequency}")
    alert.frequency = frequency
    alert.save(update_fields=["frequency"])
    return alert


def alert_delete(*, alert: Alert) -> None:
    alert.delete()


def alerts_erase(user: User) -> int:
    """Delete a person's alerts, by account or address (their account's erasure)."""
    deleted, _by_model = Alert.objects.filter(Q(user=user) | Q(email__iexact=user.email)).delete()
    return deleted


def alerts_of(user: User) -> list[dict[str, Any]]:
    """A person's alerts, by account or address, for their copy of their data."""
    alerts = Alert.objects.filter(Q(user=user) | Q(email__iexact=user.email)).order_by("pk")
    return [
        {
            "email": alert.email,
            "search": {"words": alert.words, "country": alert.country,
                       "programme": alert.programme, "framework": alert.framework},
            "frequency": alert.frequency,
            "state": alert.state,
            "language": alert.language,
            "created_at": alert.created_at,
            "confirmed_at": alert.confirmed_at,
            "missions_sent": [
                {"mission": sent.mission.reference, "at": sent.sent_at}
                for sent in alert.sent.select_related("mission").order_by("sent_at")
            ],
        }
        for alert in alerts
    ]  # fmt: skip


def due_alerts(now: dt.datetime) -> AlertQuerySet:
    """Active alerts whose period has passed since their last run (or never run)."""
    due = Q(last_run_at=None)
    for frequency, period in PERIODS.items():
        due |= Q(frequency=frequency, last_run_at__lte=now - period + SLACK)
    return Alert.objects.active().filter(due)


def new_missions(alert: Alert, *, now: dt.datetime) -> list[Mission]:
    """Open missions matching the alert's search (the catalogue's own selector), first
    published since its last run (or its confirmation), never sent to it before."""
    since = alert.last_run_at - OVERLAP if alert.last_run_at else alert.confirmed_at
    sent = SentMission.objects.filter(alert=alert).values("mission_id")
    with translation.override(alert.language):  # the missions read in its language
        missions = (
            missions_for_catalogue(filters=alert.filters(), now=now)
            .open(now)
            .filter(published_at__gt=since, published_at__lte=now)
            .exclude(pk__in=sent)
            .only("reference", "title", "host_country", "deadline_at", "time_zone")
        )
        return list(missions[: DIGEST_MAX + 1])


@transaction.atomic
def alert_send_digest(*, alert_id: int, now: dt.datetime) -> bool:
    """Send one due alert its digest of new missions, if any; True if one was written.

    The alert is claimed (skip_locked: another run holds it, that run does the job) and
    found due again under the lock, so a run that comes after sees it done; the missions
    sent are recorded in the transaction of the outbox message, once each (unique key).
    """
    alert = due_alerts(now).select_for_update(skip_locked=True).filter(pk=alert_id).first()
    if alert is None:
        return False
    missions = new_missions(alert, now=now)
    since = alert.last_run_at or alert.confirmed_at or now
    alert.last_run_at = now
    if missions:
        more = len(missions) > DIGEST_MAX  # the others are on the catalogue's page
        missions = missions[:DIGEST_MAX]
        SentMission.objects.bulk_create(
            SentMission(alert=alert, mission=mission, sent_at=now) for mission in missions
        )
        digest = emails.alert_digest(alert, missions, since=since, more=more)
        outbox.enqueue(digest)
        alert.last_sent_at = now
    alert.save(update_fields=["last_run_at", "last_sent_at"])
    return bool(missions)


def alerts_delete_unconfirmed(*, now: dt.datetime) -> int:
    """Delete the alerts left unconfirmed past their lifetime (a bot's, a typo's)."""
    stale = Alert.objects.filter(
        state=Alert.State.PENDING, created_at__lt=now - UNCONFIRMED_LIFETIME
    )
    deleted, _by_model = stale.delete()
    return deleted


def alerts_send_digests(*, now: dt.datetime) -> int:
    """Send every due alert its digest; how many were written."""
    alert_ids = list(due_alerts(now).order_by("pk").values_list("pk", flat=True))
    return sum(alert_send_digest(alert_id=alert_id, now=now) for alert_id in alert_ids)
