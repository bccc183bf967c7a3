"""A COMMIT whose connection drops: the files stay (rows may name them), the sweep decides.

The dropped connection is real: a constraint trigger, deferred to COMMIT, makes PostgreSQL
terminate the test's own session while it commits, so the client never learns the outcome.
"""

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.db import OperationalError, connection
from django.utils import timezone

from applications import services, tasks
from applications.documents import orphan_documents_sweep
from applications.models import ApplicationDocument
from applications.tests.test_concurrency import ready_draft
from applications.tests.test_storage_faults import files_under
from missions.tests.factories import MissionFactory
from volunteers.tests.factories import VolunteerFactory, pdf_bytes

DROP_AT_COMMIT = """
CREATE FUNCTION test_drop_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER test_drop_at_commit AFTER INSERT ON applications_applicationdocument
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_drop_at_commit();
"""
NO_DROP = """
DROP TRIGGER IF EXISTS test_drop_at_commit ON applications_applicationdocument;
DROP FUNCTION IF EXISTS test_drop_at_commit();
"""


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        message = "needs PostgreSQL (a trigger ends the session at COMMIT)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.django_db(transaction=True)
def test_files_of_a_commit_whose_connection_drops_wait_for_the_sweep(postgresql, private_media):
    application = ready_draft(VolunteerFactory(), MissionFactory(reference="SWEEP1"))
    sent = {document.file.name for document in application.documents.all()}
    before = set(files_under(private_media))  # the draft's letter and CV, the profile's CV
    with connection.cursor() as cursor:
        cursor.execute(DROP_AT_COMMIT)
    try:
        with pytest.raises(OperationalError):
            services.application_draft_save(
                application=application, letter=ContentFile(pdf_bytes(), name="new.pdf")
            )
    finally:
        connection.close()  # the session is gone; the next query opens a new one
        with connection.cursor() as cursor:
            cursor.execute(NO_DROP)

    # Nothing was committed, but the client cannot know: the new letter's file is kept.
    assert {d.file.name for d in application.documents.all()} == sent
    kept = set(files_under(private_media)) - before
    assert len(kept) == 1 and sent < before

    # A day later the sweep removes it, as no row names it; the draft's own files stay.
    assert orphan_documents_sweep(now=timezone.now()) == []  # too recent: maybe in flight
    assert orphan_documents_sweep(now=timezone.now() + dt.timedelta(days=2)) == list(kept)
    assert set(files_under(private_media)) == before


@pytest.mark.django_db
def test_the_sweep_keeps_every_named_document_and_the_task_counts_what_went(private_media):
    application = ready_draft(VolunteerFactory(), MissionFactory(reference="SWEEP2"))
    volunteer = application.volunteer
    volunteer.cv.save("cv.pdf", ContentFile(pdf_bytes()))  # the factory's CV: replaced, recent
    before = set(files_under(private_media))
    orphans = ["applications/ab/lost.pdf", "cv/999/lost.pdf"]
    for name in orphans:
        (private_media / name).parent.mkdir(parents=True, exist_ok=True)
        (private_media / name).write_bytes(pdf_bytes())
        two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
        os.utime(private_media / name, (two_days_ago, two_days_ago))
    named = {d.file.name for d in ApplicationDocument.objects.all()} | {volunteer.cv.name}

    assert tasks.sweep_orphan_documents() == 2

    assert set(files_under(private_media)) == before and len(named) == 3 and named < before
    assert tasks.sweep_orphan_documents() == 0
