"""Interviewers' private calendar feeds: a secret address per person that a calendar
application polls for their upcoming interviews (``METHOD:PUBLISH``).

The token is shown once, when staff create the feed, and only its SHA-256 is kept: a copy of
the database gives no working address. Revoking a feed ends it for good; a new one has a new
token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import replace

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from review import emails
from review.calendar import calendar_text
from review.models import CalendarFeed, InterviewBooking
from volunteers.models import User

TOKEN_BYTES = 32  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('interview_feed', args=[token])}"


def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new feed for an interviewer; returns it and its token, which is not kept."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    return feed, token


def calendar_feed_revoke(*, feed: CalendarFeed, now: dt.datetime) -> CalendarFeed:
    """End a feed: its address answers 404 from now on."""
    if feed.revoked_at is None:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
    return feed


def active_feed(token: str) -> CalendarFeed | None:
    """The feed of a token, unless unknown or revoked."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )


def upcoming_interviews(user: User, now: dt.datetime) -> QuerySet[InterviewBooking]:
    """The booked interviews this person sits in, from today on (those under way included)."""
    return (
        InterviewBooking.objects.filter(
            state=InterviewBooking.State.BOOKED,
            slot__interviewers=user,
            slot__starts_at__gte=now - dt.timedelta(days=1),
        )
        .select_related("slot", "application__mission", "application__volunteer__user")
        .prefetch_related("slot__interviewers")
        .order_by("slot__starts_at", "pk")
    )


def feed_text(user: User, now: dt.datetime) -> str:
    """The feed's calendar. The candidate's own booking link stays out of it: a feed is often
    handed to a calendar service; the description links to the interview's outcome page."""
    meetings = []
    for booking in upcoming_interviews(user, now):
        admin_url = reverse("admin:review_interviewbooking_outcome", args=[booking.pk])
        meeting = emails.meeting(booking, booking.slot)  # type: ignore[arg-type]  # slot__ filter
        mission = booking.application.mission
        description = f"{mission.reference} – {mission.title}\n{settings.SITE_URL}{admin_url}"
        meetings.append(replace(meeting, description=description))
    return calendar_text(meetings, method="PUBLISH")
