from celery import shared_task
from django.utils import timezone

from alerts import services


@shared_task(ignore_result=True)
def send_alert_digests() -> int:
    """Send the due alerts their digests (safe with two beats: each alert is claimed), and
    delete the alerts never confirmed."""
    now = timezone.now()
    services.alerts_delete_unconfirmed(now=now)
    return services.alerts_send_digests(now=now)
