from typing import Any

from applications.models import SHORTLIST_STAGES, ApplicationDocument


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
