"""A COMMIT whose connection drops: the files stay (rows may name them), the sweep decides.

The dropped connection is real: a constraint trigger, deferred to COMMIT, makes PostgreSQL
terminate the test's own session while it commits, so the client never learns the outcome.
What core.documents.atomic_with_files does with files when a transaction fails or a hook
after COMMIT does is tested in core/tests/test_documents.py.
"""

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connection
from django.utils import timezone

from applications import services, tasks
from applications.documents import orphan_documents_sweep, orphan_grace
from applications.models import ApplicationDocument
from missions.tests.factories import MissionFactory
from testing import clock
from testing.documents import files_under, pdf_bytes
from testing.factories import ready_draft
from testing.services import require_postgresql
from volunteers.tests.factories import VolunteerFactory

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
    require_postgresql("needs PostgreSQL (a trigger ends the session at COMMIT)")


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

    clock.stamp_tree(private_media)  # written at the tests' "now"
    # Nothing was committed, but the client cannot know: the new letter's file is kept.
    assert {d.file.name for d in application.documents.all()} == sent
    kept = set(files_under(private_media)) - before
    assert len(kept) == 1 and sent < before

    # Once older than the grace (a session's life and a day) the sweep removes it, as no row
    # names it; the draft's own files stay.
    assert orphan_documents_sweep(now=timezone.now()) == []  # too recent: maybe in flight
    later = timezone.now() + orphan_grace() + dt.timedelta(hours=1)
    assert orphan_documents_sweep(now=later) == list(kept)
    assert set(files_under(private_media)) == before


@pytest.mark.django_db
def test_the_sweep_keeps_every_named_document_and_the_task_counts_what_went(private_media):
    application = ready_draft(VolunteerFactory(), MissionFactory(reference="SWEEP2"))
    volunteer = application.volunteer
    volunteer.cv.save("cv.pdf", ContentFile(pdf_bytes()))  # the factory's CV: replaced
    before = set(files_under(private_media))
    orphans = ["applications/ab/lost.pdf", "cv/999/lost.pdf"]
    for name in orphans:
        (private_media / name).parent.mkdir(parents=True, exist_ok=True)
        (private_media / name).write_bytes(pdf_bytes())
    # Every file is old enough: only the rows decide what stays.
    long_ago = (timezone.now() - orphan_grace() - dt.timedelta(days=1)).timestamp()
    for path in private_media.rglob("*.*"):
        os.utime(path, (long_ago, long_ago))
    named = {d.file.name for d in ApplicationDocument.objects.all()} | {volunteer.cv.name}
    # A CV kept for a profile form with errors is named by the session only: two days old,
    # it stays (the grace is a session's life and a day).
    in_a_session = private_media / "cv" / "999" / "kept-for-the-form.pdf"
    in_a_session.write_bytes(pdf_bytes())
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(in_a_session, (two_days_ago, two_days_ago))

    assert orphan_documents_sweep(now=timezone.now(), seconds=0) == []  # no time: nothing
    assert tasks.sweep_orphan_documents() == 3  # the two lost ones and the replaced CV

    assert set(files_under(private_media)) == named | {"cv/999/kept-for-the-form.pdf"}
    assert len(named) == 3 and named < before
    assert tasks.sweep_orphan_documents() == 0


class AgelessStorage(FileSystemStorage):
    """A storage that cannot tell a file's age, as S3 answers for a key deleted meanwhile."""

    def get_modified_time(self, name: str) -> dt.datetime:
        raise OSError(f"404 for {name}")


@pytest.mark.django_db
def test_a_file_whose_age_cannot_be_read_is_kept_and_the_sweep_goes_on(tmp_path):
    storage = AgelessStorage(location=str(tmp_path))
    for name in ("applications/ab/one.pdf", "cv/1/two.pdf"):
        storage.save(name, ContentFile(b"%PDF-1.4"))
    clock.stamp_tree(tmp_path)

    later = timezone.now() + orphan_grace() + dt.timedelta(days=1)
    assert orphan_documents_sweep(now=later, storage=storage) == []
    assert files_under(tmp_path) == ["applications/ab/one.pdf", "cv/1/two.pdf"]
    assert len(orphan_documents_sweep(now=later, storage=FileSystemStorage(tmp_path))) == 2
