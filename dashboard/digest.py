"""The weekly digest: on Monday morning (beat's ``weekly-staff-digest``), the last seven days'
key figures to everyone who may see the dashboard, with its link. One message per person and
week (its key), so a second run the same week sends nothing more."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from core.dates import long_date
from dashboard.figures import Filters, compute
from missions.eligibility import RULE_NAMES
from missions.tallies import local_day
from notifications.outbox import Draft, enqueue_many
from volunteers.selectors import staff_with_permission

WEEK = dt.timedelta(days=7)


def weekly_digests_send(*, now: dt.datetime) -> int:
    """The seven days before today, to each active staff member with the dashboard."""
    end = local_day(now) - dt.timedelta(days=1)
    filters = Filters(start=end - WEEK + dt.timedelta(days=1), end=end)
    with translation.override(settings.LANGUAGE_CODE):
        context = digest_context(compute(None, filters, staff=True, now=now), filters)
    drafts = [
        Draft(
            key=f"weekly-digest:{filters.start.isoformat()}:{user.pk}",
            to=user.email,
            template="weekly_digest",
            language=settings.LANGUAGE_CODE,
            context=context,
        )
        for user in staff_with_permission("dashboard", "view_dashboard")
    ]
    return enqueue_many(drafts)


def digest_context(figures: dict[str, Any], filters: Filters) -> dict[str, Any]:
    """The figures the digest tells, as plain values (the outbox keeps them as JSON)."""
    funnel = {f"{event}:{detail}": n for event, detail, n in figures["funnel"]}
    refusals = figures["refusals"]
    times = {stage: (n, median) for stage, n, median, _p90 in figures["stage_times"]}
    waiting = figures["waiting"]
    query = urlencode({"start": filters.start.isoformat(), "end": filters.end.isoformat()})
    return {
        "start": long_date(filters.start),
        "end": long_date(filters.end),
        "views": funnel["view:"],
        "checks": funnel["check:"],
        "eligible": funnel["eligible:"],
        "drafts": funnel["draft:"],
        "submitted": funnel["submitted:"],
        "shortlisted": funnel["reached:shortlisted"],
        "selected": funnel["reached:selected"],
        "review_requests": figures["review_requests"],
        "top_refusal": str(RULE_NAMES.get(refusals[0][0], refusals[0][0])) if refusals else "",
        "top_refusal_count": refusals[0][1] if refusals else 0,
        "review_median": times["in_review"][1] if times["in_review"][0] else None,
        "oldest_waiting_days": waiting[0]["days"] if waiting else None,
        "outbox_failed": figures["outbox"]["failed"],
        "outbox_pending": figures["outbox"]["pending"],
        "dashboard_url": settings.SITE_URL
        + reverse("admin:dashboard_dashboard_changelist")
        + "?"
        + query,
    }
