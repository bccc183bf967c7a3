"""Storage faults: a disk that fills up mid-write, uploads spooled to temporary files.

The full disk is real: a 512 KiB tmpfs mounted for the test (the ``full_disk`` fixture) and
filled almost to the brim, so the write fails with ENOSPC part-way through, as it would in
production. The same fault while saving a profile is in volunteers/tests/test_storage_faults.py;
files of a failed transaction (core.documents.atomic_with_files) in core/tests/test_documents.py.
"""

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, ApplicationDocument, Stage
from missions.tests.factories import MissionFactory
from testing.disk import fill
from testing.documents import files_under, pdf_bytes
from testing.factories import ready_draft
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_a_full_disk_while_uploading_a_letter_keeps_the_draft_and_what_was_typed(client, full_disk):
    volunteer = VolunteerFactory()
    MissionFactory(reference="DISK1")
    client.force_login(volunteer.user)
    url = reverse("applications:apply", args=["DISK1"])
    client.post(url, {"motivation": "Première version", "next": "autosave"})
    fill(full_disk)
    before = files_under(full_disk)
    letter = SimpleUploadedFile("lettre.pdf", pdf_bytes(padding=100_000), "application/pdf")

    response = client.post(
        url, {"motivation": "Deuxième version, tapée avant l'incident", "letter": letter}
    )

    assert response.status_code == 503
    page = response.content.decode()
    assert "Votre document n&#x27;a pas pu être enregistré" in page
    assert "Deuxième version, tapée avant l&#x27;incident" in page  # the text comes back
    application = Application.objects.get()
    assert application.motivation == "Première version"  # nothing half-saved
    assert not ApplicationDocument.objects.exists()
    assert files_under(full_disk) == before  # the partly written file is gone


def test_a_full_disk_at_the_second_document_keeps_both_earlier_ones(client, full_disk):
    volunteer = VolunteerFactory()
    MissionFactory(reference="DISK3")
    client.force_login(volunteer.user)
    url = reverse("applications:apply", args=["DISK3"])
    first = {"letter": pdf_bytes(padding=1_000), "cv": pdf_bytes(padding=2_000)}
    client.post(url, {**pdf_uploads(first), "use_profile_cv": "no", "next": "autosave"})
    earlier = dict(ApplicationDocument.objects.values_list("kind", "file"))
    fill(full_disk, leave=96 * 1024)
    before = files_under(full_disk)
    # The letter fits in what is left, the CV does not: the letter is written, then removed.
    second = {"letter": pdf_bytes(padding=40_000), "cv": pdf_bytes(padding=200_000)}

    response = client.post(url, {**pdf_uploads(second), "use_profile_cv": "no"})

    assert response.status_code == 503
    assert dict(ApplicationDocument.objects.values_list("kind", "file")) == earlier
    assert files_under(full_disk) == before  # the earlier files are kept, the new ones gone


def pdf_uploads(contents: dict[str, bytes]) -> dict[str, SimpleUploadedFile]:
    return {
        kind: SimpleUploadedFile(f"{kind}.pdf", content, "application/pdf")
        for kind, content in contents.items()
    }


def test_a_full_disk_at_submission_leaves_a_draft_and_says_why(client, full_disk):
    volunteer = VolunteerFactory()
    application = ready_draft(volunteer, MissionFactory(reference="DISK2"))
    Application.objects.filter(pk=application.pk).update(use_profile_cv=True)
    application.documents.filter(kind="cv").delete()
    volunteer.cv.save("cv.pdf", ContentFile(pdf_bytes(padding=100_000)))  # copied on submission
    fill(full_disk)
    before = files_under(full_disk)
    client.force_login(volunteer.user)

    response = client.post(reverse("applications:submit", args=["DISK2"]), follow=True)

    assert "Votre document n&#x27;a pas pu être enregistré" in response.content.decode()
    application.refresh_from_db()
    assert (application.stage, application.reference) == (Stage.DRAFT, None)
    assert not application.documents.filter(kind="cv").exists()
    assert files_under(full_disk) == before


@pytest.fixture
def upload_temp_dir(settings, tmp_path) -> Path:
    """Uploads over 1 KiB are spooled to this folder, which must be empty after each request."""
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    return folder


@pytest.mark.parametrize(
    ("files", "expected_status"),
    [
        ({"letter": ("lettre.pdf", "pdf")}, 204),  # accepted
        ({"letter": ("lettre.pdf", "html")}, 422),  # refused by content
        ({"letter": ("a.pdf", "pdf"), "cv": ("b.pdf", "pdf"), "x": ("c", "pdf"),
          "y": ("d", "pdf"), "z": ("e", "pdf")}, 400),  # too many files
    ],
)  # fmt: skip
def test_no_temporary_upload_file_is_left_behind(client, upload_temp_dir, files, expected_status):
    volunteer = VolunteerFactory()
    MissionFactory(reference="TMP1")
    client.force_login(volunteer.user)
    contents = {"pdf": pdf_bytes(padding=20_000), "html": b"<html>" + b"x" * 20_000}
    data = {
        field: SimpleUploadedFile(name, contents[kind]) for field, (name, kind) in files.items()
    }

    response = client.post(
        reverse("applications:apply", args=["TMP1"]),
        {"motivation": "Bonjour", "use_profile_cv": "yes", "next": "autosave", **data},
    )

    assert response.status_code == expected_status
    assert os.listdir(upload_temp_dir) == []
