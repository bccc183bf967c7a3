"""What the worker missed: texts still to read, search profiles still to build or older than
the change they missed.

A task queued after a commit is lost when Redis is down at that moment; documents stored
before this app existed were never read. The beat task ``search-catch-up`` reads a bounded
batch of each at every run (the oldest first); ``manage.py search_reindex`` does them all.
"""

import datetime as dt

from django.db.models import F, Q

from applications.models import ApplicationDocument
from talent import extraction, index
from volunteers.models import TextState, Volunteer

# Younger than this, a text or profile is probably in the hands of its own task.
GRACE = dt.timedelta(minutes=5)


def search_catch_up(*, now: dt.datetime, limit: int | None = 200) -> int:
    """Read what is pending and build missing profiles, up to ``limit`` each (None: all);
    returns how many volunteers' profiles were rebuilt."""
    before = now - GRACE
    documents = ApplicationDocument.objects.filter(
        text_state=TextState.PENDING, uploaded_at__lt=before
    ).order_by("pk")
    volunteers: set[int] = set()
    for pk in list(documents.values_list("pk", flat=True)[:limit]):
        volunteer_id = extraction.document_text_read(document_id=pk, now=now)
        if volunteer_id is not None:
            volunteers.add(volunteer_id)
    cvs = Volunteer.objects.filter(cv_text_state=TextState.PENDING, updated_at__lt=before)
    for pk in list(cvs.order_by("pk").values_list("pk", flat=True)[:limit]):
        extraction.volunteer_cv_text_read(volunteer_id=pk)
        volunteers.add(pk)
    # Past applicants and pool members with no search profile yet.
    missing = (
        Volunteer.objects.filter(search_profile__isnull=True, user__is_active=True)
        .filter(Q(pool_since__isnull=False) | Q(applications__submitted_at__isnull=False))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    volunteers.update(missing[:limit])
    # Profiles older than a change whose task was lost: a profile edited, the pool joined or
    # left, an application sent since the profile was built.
    built = F("search_profile__refreshed_at")
    stale = (
        Volunteer.objects.filter(search_profile__isnull=False)
        .filter(
            Q(updated_at__gt=built, updated_at__lt=before)
            | Q(applications__submitted_at__gt=built, applications__submitted_at__lt=before)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    volunteers.update(stale[:limit])
    for volunteer_id in sorted(volunteers):
        index.search_profile_refresh(volunteer_id=volunteer_id, now=now)
    return len(volunteers)
