"""A partner's dossier: asked for on the link's page, built by the worker with the link's
redactions and without staff's notes, reviews or other opinions, then downloaded there.

Each one is an export log row (format "pdf", by the staff member who made the link, so that
the export log lists it) tied to the link; each download logs a dossier access per
candidate in it, which the candidates' data copies list.
"""

import datetime as dt
import logging

from django.core.files import File
from django.db import transaction
from django.utils import translation

from applications.models import ExportLog
from selection import links
from selection.models import PartnerAccess, PartnerDossier, PartnerLink
from selection.redactions import Redactions

logger = logging.getLogger(__name__)


def dossier_start(link: PartnerLink) -> PartnerDossier:
    """Log the partner's dossier and have the worker build it once this commits."""
    from selection.dossier import TASK_TIME_LIMIT
    from selection.tasks import build_partner_dossier  # the task module imports this one

    under_way = latest(link)
    if under_way is not None and under_way.export.state == ExportLog.State.PENDING:
        return under_way  # one build at a time per link
    with transaction.atomic():
        export = ExportLog.objects.create(
            user=link.created_by,
            mission=link.mission,
            format=ExportLog.Format.DOSSIER,
            rows=links.in_scope(link).count(),
            state=ExportLog.State.PENDING,
            language=link.language,
        )
        dossier = PartnerDossier.objects.create(link=link, export=export)
        transaction.on_commit(
            lambda: build_partner_dossier.apply_async(
                (export.pk,), time_limit=TASK_TIME_LIMIT, soft_time_limit=TASK_TIME_LIMIT - 60
            ),
            robust=True,
        )
    return dossier


def latest(link: PartnerLink) -> PartnerDossier | None:
    return link.dossiers.select_related("export").order_by("-export__created_at").first()


def dossier_build(*, export_id: int, now: dt.datetime) -> str:
    """Build a pending partner dossier (safe to run twice: a built one is skipped)."""
    from selection.dossier import dossier_file  # WeasyPrint: loaded by the worker only

    with transaction.atomic():
        dossier = (
            PartnerDossier.objects.select_for_update(skip_locked=True, of=("export",))
            .select_related("export", "link__mission")
            .filter(export_id=export_id, export__state=ExportLog.State.PENDING)
            .first()
        )
        if dossier is None:
            return "skipped"
        link, export = dossier.link, dossier.export
        try:
            with translation.override(link.language):
                built = dossier_file(
                    links.in_scope(link),
                    mission=link.mission,
                    exported_by=f"{link.person} ({link.organisation})",
                    now=now,
                    redactions=Redactions.of_link(link),
                    staff_sections=False,
                )
            with built:
                export.file.save(f"{export.public_id.hex}.pdf", File(built), save=False)
        except Exception:
            # The page says so and offers to try again; the error is in the worker's log.
            logger.exception("partner dossier %s could not be built", export.pk)
            export.state = ExportLog.State.FAILED
            export.save(update_fields=["state"])
            return "failed"
        export.state = ExportLog.State.READY
        export.save(update_fields=["file", "state"])
    return "ready"


def dossier_downloaded(dossier: PartnerDossier, *, now: dt.datetime) -> None:
    """One dossier access per candidate of the link's scope (what the PDF holds)."""
    link = dossier.link
    PartnerAccess.objects.bulk_create(
        PartnerAccess(
            link=link,
            application=application,
            action=PartnerAccess.Action.DOSSIER,
            email=link.email,
            at=now,
        )
        for application in links.in_scope(link)
    )
