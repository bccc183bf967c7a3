from celery import shared_task
from django.utils import timezone

from selection import partner_dossiers


@shared_task(acks_late=True, ignore_result=True)
def build_partner_dossier(export_id: int) -> str:
    """Build the dossier a partner asked for (safe to run twice)."""
    return partner_dossiers.dossier_build(export_id=export_id, now=timezone.now())
