from celery import shared_task
from django.utils import timezone

from alerts import services


@shared_task(ignore_result=True)
def send_alert_digests() -> int:
    """Send the due alerts their digests (safe with two beats: each alert is claimed)."""
    return services.alerts_send_digests(now=timezone.now())
