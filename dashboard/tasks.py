from celery import shared_task
from django.utils import timezone

from dashboard import digest


@shared_task(ignore_result=True)
def send_weekly_digests() -> int:
    """Beat, Monday 07:00: the last week's figures to those who may see the dashboard."""
    return digest.weekly_digests_send(now=timezone.now())
