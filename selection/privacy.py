"""A candidate's right of access: which partner saw their file, what and when
(``partner_accesses.json`` in the archive of applications.privacy)."""

from typing import Any

from selection.models import PartnerAccess
from volunteers.models import User

# What a candidate is told of: their file read, a document read or downloaded, a dossier.
SEEN = (
    PartnerAccess.Action.VIEWED,
    PartnerAccess.Action.DOCUMENT_VIEWED,
    PartnerAccess.Action.DOCUMENT_DOWNLOADED,
    PartnerAccess.Action.DOSSIER,
)


def partner_accesses(user: User) -> list[dict[str, Any]]:
    accesses = (
        PartnerAccess.objects.filter(application__volunteer__user=user, action__in=SEEN)
        .select_related("link", "application")
        .order_by("at")
    )
    return [
        {
            "organisation": access.link.organisation,
            "person": access.link.person,
            "application": access.application.reference if access.application else None,
            "what": str(access.get_action_display()),
            "document": access.document or None,
            "at": access.at,
        }
        for access in accesses
    ]
