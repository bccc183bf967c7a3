"""The dossier PDF among the shortlist's exports: built at once for a few candidates, by the
export job past DOSSIER_SYNC_MAX, logged every time; and from the applications admin."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import ExportLog
from coordination.tests.helpers import export
from review.roles import MANAGERS
from review.tests.factories import staff

pytestmark = pytest.mark.django_db


def pages(body: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages]


def test_the_shortlist_page_offers_the_dossier(client, coordinator, francoise):
    page = client.get(reverse("coordination:mission", args=["EXP1"])).content.decode()

    assert reverse("coordination:export", args=["EXP1", "pdf"]) in page and "Dossier PDF" in page


def test_a_few_candidates_dossier_is_built_in_the_request_and_logged(
    client, coordinator, francoise, injector
):
    response, body = export(client, "pdf")

    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="candidatures_EXP1_{today}.pdf"' in response["Content-Disposition"]
    text = pages(body)
    assert "EXP1-0001" in text[0] and "EXP1-0002" in text[0]  # the contents page
    assert all("Confidentiel — exporté par comdev@example.org le" in page for page in text)
    log = ExportLog.objects.get()
    assert (log.user, log.mission.reference, log.format, log.rows, log.state) == (
        coordinator, "EXP1", "pdf", 2, "done",
    )  # fmt: skip


def test_a_big_dossier_is_built_by_the_export_job_then_downloaded(
    client, coordinator, francoise, injector, settings
):
    from coordination.tasks import build_export
    from notifications.models import OutboxMessage

    settings.DOSSIER_SYNC_MAX = 1
    response = client.get(reverse("coordination:export", args=["EXP1", "pdf"]))
    job = ExportLog.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.format, job.rows, job.state) == ("pdf", 2, "pending")

    assert build_export(job.pk) == "ready"
    assert build_export(job.pk) == "skipped"

    download = client.get(reverse("coordination:job_download", args=[job.public_id]))
    assert download["Content-Disposition"].endswith(f'_{timezone.localdate(job.created_at)}.pdf"')
    text = pages(b"".join(download.streaming_content))
    assert "EXP1-0001" in text[0] and "EXP1-0002" in text[0]
    assert OutboxMessage.objects.get(template="export_ready").to == "comdev@example.org"


def test_a_coordinators_dossier_leaves_staff_notes_and_reviews_out_and_staffs_has_them(
    client, coordinator, francoise, injector
):
    from applications.models import Note, Review

    manager = staff(MANAGERS, "rh@example.org")
    Note.objects.create(application=francoise, author=manager, text="Note interne du jury")
    Review.objects.create(application=francoise, reviewer=manager, scores={"experience": 3},
                          average=3, comment="Évaluation interne")  # fmt: skip

    _response, body = export(client, "pdf")
    client.force_login(manager)
    changelist = reverse("admin:applications_application_changelist")
    staffs = client.post(
        changelist, {"action": "export_dossier", "_selected_action": [francoise.pk]}
    )

    coordinators = " ".join(pages(body))
    assert "LEFÈVRE Françoise" in coordinators
    assert "Note interne du jury" not in coordinators and "Évaluation interne" not in coordinators
    text = " ".join(pages(b"".join(staffs.streaming_content)))
    assert "Note interne du jury" in text and "Évaluation interne" in text


def test_staff_take_a_few_applications_dossier_from_the_admin(client, francoise, injector):
    manager = staff(MANAGERS, "rh@example.org")
    client.force_login(manager)
    changelist = reverse("admin:applications_application_changelist")

    response = client.post(
        changelist, {"action": "export_dossier", "_selected_action": [francoise.pk]}
    )

    text = pages(b"".join(response.streaming_content))
    assert "LEFÈVRE Françoise" in text[0] and "Sommaire" not in text[0]
    assert ExportLog.objects.get().format == "pdf"


def test_the_admin_sends_a_long_selection_to_the_coordination_page(
    client, francoise, injector, settings
):
    settings.DOSSIER_SYNC_MAX = 1
    client.force_login(staff(MANAGERS, "rh@example.org"))
    changelist = reverse("admin:applications_application_changelist")

    response = client.post(
        changelist,
        {"action": "export_dossier", "_selected_action": [francoise.pk, injector.pk]},
        follow=True,
    )

    assert "page de coordination de la mission" in response.content.decode()
    assert not ExportLog.objects.exists()
