"""A real worker process reads a stored document's text and builds the search profile."""

import pytest
from django.utils import timezone

from applications.models import ApplicationDocument
from applications.tests.factories import submitted
from talent.models import SearchProfile
from talent.tests.conftest import pdf_of, store
from testing.celery_processes import CeleryWorker
from testing.services import wait_for
from volunteers.models import TextState
from volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_clock]


def test_the_worker_reads_the_text_and_the_candidate_is_searchable(
    broker, smtp_server, postgresql_database, tmp_path, private_media, monkeypatch, mission
):
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", str(private_media))  # the worker's files are ours
    worker = CeleryWorker(broker.url, smtp_server.port, tmp_path / "worker.log")
    worker.start()
    try:
        application = submitted(mission, VolunteerFactory(first_name="Awa"))
        document = store(application, "cv", pdf_of("Aquaculture à Mbour"), "cv.pdf")
        wait_for(
            lambda: ApplicationDocument.objects.get(pk=document.pk).text_state == TextState.DONE,
            message="the text read by the worker",
        )
        wait_for(
            lambda: "Aquaculture" in (
                SearchProfile.objects.filter(volunteer=application.volunteer)
                .values_list("documents_text", flat=True)
                .first() or ""
            ),
            message="the search profile built by the worker",
        )  # fmt: skip
    finally:
        worker.stop()
    assert SearchProfile.objects.get(volunteer=application.volunteer).refreshed_at <= timezone.now()
