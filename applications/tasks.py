from celery import shared_task
from django.utils import timezone

from applications import documents, privacy, reminders


@shared_task(ignore_result=True)
def remind_unfinished_drafts() -> int:
    """Reminders to candidates whose draft is unfinished 7 days and 1 day before the deadline."""
    return reminders.remind_unfinished_drafts(now=timezone.now())


@shared_task(ignore_result=True)
def purge_expired_candidates() -> int:
    """Anonymise unsuccessful candidates after the retention period (RETENTION_MONTHS)."""
    return privacy.retention_purge(now=timezone.now())


@shared_task(ignore_result=True)
def sweep_orphan_documents() -> int:
    """Delete stored documents that no row names, once past the grace (see orphan_grace)."""
    return len(documents.orphan_documents_sweep(now=timezone.now()))
