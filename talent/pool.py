"""Who is in the talent pool, as staff search and invitations ask it.

Stand-ins, until ``volunteers.pool`` (built beside this app) lands: membership there also
lapses POOL_MONTHS after the last contact, and the leave link is a one-click one. At the
merge these two functions give way to ``volunteers.pool.pool_members`` and ``pool_leave_url``.
"""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from volunteers.models import Volunteer


def pool_members(*, now: dt.datetime) -> QuerySet[Volunteer]:
    """The volunteers in the pool: they chose to stay in it and have not left it."""
    return Volunteer.objects.filter(pool_since__isnull=False, user__is_active=True)


def pool_leave_url(volunteer: Volunteer) -> str:
    """An absolute address where the volunteer leaves the pool."""
    return f"{settings.SITE_URL}{reverse('me')}"
