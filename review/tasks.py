from celery import shared_task
from django.utils import timezone

from review import interviews, reminders

# Named as before the review app existed: beat's rows and queued messages still find them.


@shared_task(name="applications.tasks.remind_training", ignore_result=True)
def remind_training() -> int:
    """Reminders to selected volunteers 14 days before their pre-departure training."""
    return reminders.remind_training(now=timezone.now())


@shared_task(name="applications.tasks.send_staff_digests", ignore_result=True)
def send_staff_digests() -> int:
    """Digests to staff the morning after a mission's deadline."""
    return reminders.send_staff_digests(now=timezone.now())


@shared_task(name="review.tasks.remind_interviews", ignore_result=True)
def remind_interviews() -> int:
    """Reminders to candidates whose interview starts within 24 hours; first, the seats of
    applications that left the interview stage are given back."""
    now = timezone.now()
    interviews.seats_release(now=now)
    return interviews.interviews_remind(now=now)
