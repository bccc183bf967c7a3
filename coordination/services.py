"""Exports: the log of who exported what, and big exports built by a Celery task."""

from django.core.files import File
from django.db import transaction

from applications.models import Application, ExportLog
from coordination import emails, exports
from missions.models import Mission
from notifications import outbox
from volunteers.models import User


def export_log(*, user: User, mission: Mission | None, export_format: str, rows: int) -> ExportLog:
    """Record who exported how many candidates' data, from which mission, in which format."""
    return ExportLog.objects.create(user=user, mission=mission, format=export_format, rows=rows)


def export_job_start(
    *, user: User, mission: Mission, export_format: str, stages: list[str]
) -> ExportLog:
    """Log a big export and have a Celery task build it once this transaction commits."""
    from coordination.tasks import build_export  # the task module imports this one

    job = ExportLog.objects.create(
        user=user,
        mission=mission,
        format=export_format,
        stages=stages,
        rows=Application.objects.filter(mission=mission, stage__in=stages).count(),
        state=ExportLog.State.PENDING,
    )
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
        title = f"candidatures_{job.mission.reference}"
        build = exports.xlsx_file if job.format == ExportLog.Format.XLSX else exports.zip_file
        extension = "xlsx" if job.format == ExportLog.Format.XLSX else "zip"
        with build(applications, title=title, mission=job.mission) as built:
            job.file.save(f"{job.public_id.hex}.{extension}", File(built), save=False)
        job.state = ExportLog.State.READY
        job.save(update_fields=["file", "state"])
        outbox.enqueue(emails.export_ready(job))
    return "ready"
