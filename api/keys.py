"""API keys: created by staff, checked on each request, and what they may see."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from api.models import ApiKey
from missions.models import Mission
from volunteers.models import User

# How often a key's last use is written: once a minute is enough to see an unused key.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class KeyRefused(Exception):
    """The key is unknown, revoked or expired, or its creator may no longer act: the
    message says which, for the client (401)."""


def api_key_create(
    *,
    name: str,
    scopes: Iterable[str],
    expires_at: dt.datetime,
    created_by: User,
    missions: Iterable[Mission] = (),
) -> tuple[ApiKey, str]:
    """A new key; returns it and the key itself, which is not kept (only its hash)."""
    key = ApiKey(
        name=name, scopes=sorted(set(scopes)), expiry_date=expires_at, created_by=created_by
    )
    secret: str = ApiKey.objects.assign_key(key)
    key.save()
    key_limit(key, missions)
    return key, secret


def key_limit(key: ApiKey, missions: Iterable[Mission]) -> None:
    """Limit a key to these missions (none: every mission)."""
    missions = list(missions)
    key.missions.set(missions)
    ApiKey.objects.filter(pk=key.pk).update(limited=bool(missions))
    key.limited = bool(missions)


def key_check(secret: str, now: dt.datetime) -> ApiKey:
    """The key a client sent, if it may be used now."""
    prefix = secret.partition(".")[0]
    key: ApiKey | None = ApiKey.objects.select_related("created_by").filter(prefix=prefix).first()
    if key is None or not key.is_valid(secret):
        raise KeyRefused(_("Clé d'API inconnue."))
    if key.revoked:
        raise KeyRefused(_("Cette clé d'API est révoquée."))
    if key.expiry_date is None or key.expiry_date <= now:
        raise KeyRefused(_("Cette clé d'API a expiré : demandez-en une nouvelle."))
    if not key.created_by.is_active or not key.created_by.is_staff:
        raise KeyRefused(_("La personne qui a créé cette clé n'a plus accès : clé refusée."))
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def missions_of(key: ApiKey) -> QuerySet[Mission] | None:
    """The missions a key is limited to (perhaps none left), or None for all of them."""
    return key.missions.all() if key.limited else None
