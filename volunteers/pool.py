"""The talent pool: candidates who chose to be found by staff for future missions.

Never by default: a candidate joins from ``/me/``, after a refusal or when withdrawing an
application, and leaves in one click from ``/me/`` or from any e-mail sent because they are
in the pool (``pool_leave_url``). Membership lasts ``POOL_MONTHS`` from the last contact
(joining again, signing in, an application), as the CNIL allows for unsuccessful candidates
who were told and may object; past it, the candidate is no longer in the pool and the
retention purge (``applications.privacy``) anonymises them.
"""

import datetime as dt
from functools import partial
from typing import cast

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import DateTimeField, Exists, Max, Model, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import translation

from core.dates import months
from volunteers.models import Volunteer
from volunteers.services import SAVED

LEAVE_SALT = "volunteers.pool.leave"


def pool_members(*, now: dt.datetime) -> QuerySet[Volunteer]:
    """Active candidates in the pool whose last contact is within ``POOL_MONTHS``.

    "Some contact since the limit", asked as one condition per kind of contact (no GROUP BY:
    the search filters on it over every profile, and callers may lock the rows it gives).
    """
    limit = pool_limit(now=now)
    # applications.Application, which this app may not import.
    applications = cast(type[Model], Volunteer._meta.get_field("applications").related_model)
    recent_application = Exists(
        applications._default_manager.filter(volunteer=OuterRef("pk"), updated_at__gte=limit)
    )
    contact = (
        Q(pool_since__gte=limit)
        | Q(user__last_login__gte=limit)
        | Q(user__last_login__isnull=True, user__date_joined__gte=limit)
        | Q(recent_application)
    )
    return Volunteer.objects.filter(contact, pool_since__isnull=False, user__is_active=True)


def pool_limit(*, now: dt.datetime) -> dt.datetime:
    return now - months(settings.POOL_MONTHS)


def last_contact() -> Greatest:
    """A candidate's last contact, to annotate: joining the pool, the last sign-in (or the
    sign-up), the last change to an application, whichever is latest."""
    joined = "pool_since"
    return Greatest(
        joined,
        Coalesce("user__last_login", "user__date_joined"),
        Coalesce(Max("applications__updated_at"), joined),
        output_field=DateTimeField(),
    )


def pool_until(*, last_contact: dt.datetime) -> dt.datetime:
    """When a membership ends without a new contact."""
    return last_contact + months(settings.POOL_MONTHS)


def pool_join(*, volunteer: Volunteer, now: dt.datetime) -> None:
    """Join, or stay in, the pool from now (a contact: the membership starts again)."""
    volunteer.pool_since = now
    volunteer.save(update_fields=["pool_since", "updated_at"])
    profile_saved(volunteer)


def pool_leave(*, volunteer: Volunteer) -> bool:
    """Leave the pool; False if the candidate was not in it (a link used twice)."""
    left = Volunteer.objects.filter(pk=volunteer.pk, pool_since__isnull=False).update(
        pool_since=None
    )
    volunteer.pool_since = None
    profile_saved(volunteer)
    return bool(left)


def profile_saved(volunteer: Volunteer) -> None:
    """Tell the apps above (talent: the search profile) once the change is committed."""
    for hook in SAVED:
        transaction.on_commit(partial(hook, volunteer.pk), robust=True)


def leave_token(volunteer: Volunteer) -> str:
    return signing.dumps(volunteer.pk, salt=LEAVE_SALT)


def volunteer_from_leave_token(token: str) -> Volunteer | None:
    """The candidate a leave link names, or None if the link was altered."""
    try:
        pk = signing.loads(token, salt=LEAVE_SALT)
    except signing.BadSignature:
        return None
    return Volunteer.objects.select_related("user").filter(pk=pk).first()


def pool_leave_url(volunteer: Volunteer) -> str:
    """The link every pool e-mail carries: a page with one button that leaves the pool, in
    the candidate's language."""
    with translation.override(volunteer.preferred_language):
        path = reverse("volunteers:pool_leave", args=[leave_token(volunteer)])
    return f"{settings.SITE_URL}{path}"
