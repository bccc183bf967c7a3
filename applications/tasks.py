from celery import shared_task
from django.utils import timezone

from applications import documents, privacy, reminders, services


@shared_task(ignore_result=True)
def remind_unfinished_drafts() -> int:
    """Reminders to candidates whose draft is unfinished 7 days and 1 day before the deadline."""
    return reminders.remind_unfinished_drafts(now=timezone.now())


@shared_task(ignore_result=True)
def remind_training() -> int:
    """Reminders to selected volunteers 14 days before their pre-departure training."""
    return reminders.remind_training(now=timezone.now())


@shared_task(ignore_result=True)
def send_staff_digests() -> int:
    """Digests to staff the morning after a mission's deadline."""
    return reminders.send_staff_digests(now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def build_export(export_id: int) -> str:
    """Build a big XLSX or ZIP export in the background (safe to run twice)."""
    return services.export_job_build(export_id=export_id)


@shared_task(ignore_result=True)
def purge_expired_candidates() -> int:
    """Anonymise unsuccessful candidates after the retention period (RETENTION_MONTHS)."""
    return privacy.retention_purge(now=timezone.now())


@shared_task(ignore_result=True)
def sweep_orphan_documents() -> int:
    """Delete stored documents that no row names, once past the grace (see orphan_grace)."""
    return len(documents.orphan_documents_sweep(now=timezone.now()))
