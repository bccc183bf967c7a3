"""Exports: the log of who exported what, and big exports built by a Celery task."""

import datetime as dt
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from applications.models import Application, ApplicationQuerySet, ExportLog
from coordination import emails, exports
from missions.models import Mission
from notifications import outbox
from selection.dossier import TASK_TIME_LIMIT as DOSSIER_TASK_TIME_LIMIT
from selection.dossier import dossier_file
from volunteers.models import User

EXTENSIONS: dict[str, str] = {
    ExportLog.Format.XLSX: "xlsx",
    ExportLog.Format.ZIP: "zip",
    ExportLog.Format.DOSSIER: "pdf",
}


def export_extension(export_format: str) -> str:
    """The file extension of an XLSX, ZIP or dossier export."""
    return EXTENSIONS.get(export_format, "zip")


def export_build(
    *,
    applications: ApplicationQuerySet,
    export_format: str,
    mission: Mission | None,
    user: User,
    now: dt.datetime,
) -> IO[bytes]:
    """The XLSX, ZIP or dossier PDF of these applications in a temporary file, rewound."""
    if export_format == ExportLog.Format.DOSSIER:
        # Staff notes, reviews and partners' opinions are for staff: not for a coordinator.
        return dossier_file(
            applications,
            mission=mission,
            exported_by=exporter_name(user),
            now=now,
            staff_sections=user.is_staff,
        )
    title = f"candidatures_{mission.reference}" if mission else "candidatures"
    build = exports.xlsx_file if export_format == ExportLog.Format.XLSX else exports.zip_file
    return build(applications, title=title, mission=mission)


def exporter_name(user: User) -> str:
    """Who the dossier's stamp names: the full name, else the e-mail address."""
    return user.get_full_name() or user.email


def export_is_big(export_format: str, rows: int) -> bool:
    """Whether an export is built by a Celery task: a dossier of more than DOSSIER_SYNC_MAX
    candidates, an XLSX or ZIP of more than EXPORT_SYNC_MAX_ROWS rows."""
    if export_format == ExportLog.Format.DOSSIER:
        return rows > int(settings.DOSSIER_SYNC_MAX)
    big_formats = (ExportLog.Format.XLSX, ExportLog.Format.ZIP)
    return export_format in big_formats and rows > int(settings.EXPORT_SYNC_MAX_ROWS)


def export_log(*, user: User, mission: Mission | None, export_format: str, rows: int) -> ExportLog:
    """Record who exported how many candidates' data, from which mission, in which format and
    language (the active one: the file's)."""
    return ExportLog.objects.create(
        user=user, mission=mission, format=export_format, rows=rows,
        language=(translation.get_language() or settings.LANGUAGE_CODE).split("-")[0],
    )  # fmt: skip


def export_job_start(
    *, user: User, mission: Mission, export_format: str, stages: list[str], language: str
) -> ExportLog:
    """Log a big export and have a Celery task build it once this transaction commits."""
    from coordination.tasks import build_export  # the task module imports this one

    job = ExportLog.objects.create(
        user=user,
        mission=mission,
        format=export_format,
        stages=stages,
        language=language,
        rows=Application.objects.filter(mission=mission, stage__in=stages).count(),
        state=ExportLog.State.PENDING,
    )
    # A dossier converts documents with LibreOffice: its task has a time limit of its own.
    if export_format == ExportLog.Format.DOSSIER:
        limit = DOSSIER_TASK_TIME_LIMIT
        transaction.on_commit(
            lambda: build_export.apply_async(
                (job.pk,), time_limit=limit, soft_time_limit=limit - 60
            ),
            robust=True,
        )
    else:
        transaction.on_commit(lambda: build_export.delay(job.pk), robust=True)
    return job


def export_job_build(*, export_id: int) -> str:
    """Build a pending export into a private file and tell its requester by e-mail."""
    with transaction.atomic():
        job = (
            ExportLog.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=export_id, state=ExportLog.State.PENDING)
            .select_related("mission", "user")
            .first()
        )
        if job is None or job.mission is None:
            return "skipped"
        applications = Application.objects.filter(mission=job.mission, stage__in=job.stages)
        with (
            translation.override(job.language),
            export_build(
                applications=applications,
                export_format=job.format,
                mission=job.mission,
                user=job.user,
                now=timezone.now(),
            ) as built,
        ):
            extension = export_extension(job.format)
            job.file.save(f"{job.public_id.hex}.{extension}", File(built), save=False)
        job.state = ExportLog.State.READY
        job.save(update_fields=["file", "state"])
        outbox.enqueue(emails.export_ready(job))
    return "ready"
