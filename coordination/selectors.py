"""Who sees which mission's shortlist."""

from django.db.models import QuerySet

from applications.models import Application, ApplicationQuerySet
from missions.models import Mission
from volunteers.models import User


def coordinated_missions(user: User) -> QuerySet[Mission]:
    """Every mission for staff allowed to export; otherwise those the user coordinates."""
    if user.has_perm("applications.export_applications"):
        return Mission.objects.all()
    return Mission.objects.filter(coordinators=user)


def shortlist(mission: Mission, stages: list[str]) -> ApplicationQuerySet:
    # Coordinators see the shortlist only: nothing of drafts, reviews in progress or refusals.
    return Application.objects.filter(mission=mission, stage__in=stages)
