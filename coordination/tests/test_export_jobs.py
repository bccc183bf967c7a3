"""Every export is logged; a big one is a job, built by a task, then downloaded by its owner."""

import io

import openpyxl
import pytest
from django.urls import reverse

from applications.models import ExportLog
from coordination.tests.helpers import export
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_export_is_logged(client, coordinator, francoise, injector):
    export(client, "xlsx")

    log = ExportLog.objects.get()
    assert (log.user, log.mission.reference, log.format, log.rows) == (
        coordinator,
        "EXP1",
        "xlsx",
        2,
    )


def test_a_big_xlsx_is_built_by_a_task_then_downloaded(
    client, coordinator, francoise, injector, settings
):
    from coordination.tasks import build_export
    from notifications.models import OutboxMessage

    settings.EXPORT_SYNC_MAX_ROWS = 1
    response = client.get(reverse("coordination:export", args=["EXP1", "xlsx"]))
    job = ExportLog.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert "en préparation" in client.get(job.get_absolute_url()).content.decode()

    assert build_export(job.pk) == "ready"
    assert build_export(job.pk) == "skipped"  # safe to run twice

    assert "est prêt" in client.get(job.get_absolute_url()).content.decode()
    download = client.get(reverse("coordination:job_download", args=[job.public_id]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 3 and sheet["B2"].value == "Lefèvre"
    assert OutboxMessage.objects.get(template="export_ready").to == "comdev@example.org"
    client.force_login(UserFactory())
    assert client.get(job.get_absolute_url()).status_code == 404
