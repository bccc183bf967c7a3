from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q

from applications.models import SHORTLIST_STAGES, ApplicationDocument
from missions.models import Mission
from volunteers.models import User


def sees_coordination(user: User) -> bool:
    """Whether the coordination pages are for this user (the link on /me/): the coordinator
    of a mission, or allowed to export applications, themselves or through a group. Two
    plain queries at most, where ``has_perm`` read every permission of the user in two
    (one query with the three tests took longer still: PostgreSQL's planning of its joins)."""
    if not user.is_active:
        return False
    if user.is_superuser or Mission.coordinators.through.objects.filter(user=user).exists():
        return True
    export = Permission.objects.filter(
        content_type__app_label="applications", codename="export_applications"
    )
    return export.filter(Q(user=user) | Q(group__user=user)).exists()


def document_for(*, user: Any, public_id: str) -> ApplicationDocument | None:
    """The document if this user may read it: its candidate, permitted staff, the coordinators."""
    if not user.is_authenticated:
        return None
    document = (
        ApplicationDocument.objects.select_related("application__volunteer", "application__mission")
        .filter(public_id=public_id)
        .first()
    )
    if document is None:
        return None
    application = document.application
    if application.volunteer.user_id == user.pk:
        return document
    if user.is_staff and user.has_perm("applications.view_applicationdocument"):
        return document
    is_coordinator = application.mission.coordinators.filter(pk=user.pk).exists()
    if is_coordinator and application.stage in SHORTLIST_STAGES:
        return document
    return None
