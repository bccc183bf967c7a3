"""E-mails of the coordination side, each returning an outbox draft."""

from django.conf import settings

from applications.models import ExportLog
from notifications.outbox import Draft


def export_ready(job: ExportLog) -> Draft:
    """The requester of a big export hears that it can be downloaded."""
    return Draft(
        key=f"export-ready:{job.pk}",
        to=job.user.email,
        template="export_ready",
        language=settings.LANGUAGE_CODE,
        context={
            "mission_reference": job.mission.reference if job.mission else "",
            "rows": job.rows,
            "url": settings.SITE_URL + job.get_absolute_url(),
        },
    )
