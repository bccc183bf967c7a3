from celery import shared_task

from coordination import services


# Named as before the coordination app existed, so that queued messages still find it.
@shared_task(name="applications.tasks.build_export", acks_late=True, ignore_result=True)
def build_export(export_id: int) -> str:
    """Build a big XLSX or ZIP export in the background (safe to run twice)."""
    return services.export_job_build(export_id=export_id)
