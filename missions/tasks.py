from celery import shared_task
from django.utils import timezone

from missions import counters


@shared_task(ignore_result=True)
def flush_counters() -> int:
    """Beat, every five minutes: the public pages' counts move from the cache to the database."""
    return counters.counters_flush(now=timezone.now())
