"""Storage faults: a disk that fills up mid-write, uploads spooled to temporary files.

The full disk is real: a 256 KiB tmpfs mounted for the test and filled almost to the brim,
so the write fails with ENOSPC part-way through, as it would in production.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, ApplicationDocument, Stage
from applications.tests.test_concurrency import ready_draft
from core.documents import atomic_with_files, document_write
from missions.tests.factories import MissionFactory
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory, pdf_bytes
from volunteers.tests.test_profile import profile_data

pytestmark = pytest.mark.django_db

FULL_DISK_BYTES = 512 * 1024


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def fill(root: Path, leave: int = 16 * 1024) -> None:
    """Fill the disk under ``root`` until only ``leave`` bytes are free."""
    free = shutil.disk_usage(root).free
    (root / "filler").write_bytes(b"\0" * (free - leave))


@pytest.fixture
def full_disk(settings, tmp_path) -> Iterator[Path]:
    """Documents go to a small tmpfs (filled by the test with ``fill``)."""
    mount_point = tmp_path / "full-disk"
    mount_point.mkdir()
    mounted = subprocess.run(  # noqa: S603 -- fixed arguments, our own temporary folder
        ["mount", "-t", "tmpfs", "-o", f"size={FULL_DISK_BYTES}", "tmpfs", str(mount_point)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        message = f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    try:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(mount_point), "base_url": None},
            },
        }
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)  # noqa: S603, S607


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


def test_a_full_disk_while_saving_the_profile_keeps_the_form_as_typed(client, full_disk):
    volunteer = VolunteerFactory(city="Dakar")
    fill(full_disk)
    before = files_under(full_disk)
    client.force_login(volunteer.user)
    cv = SimpleUploadedFile("cv.pdf", pdf_bytes(padding=100_000), "application/pdf")

    response = client.post("/me/profile/", {**profile_data(city="Lyon"), "cv": cv})

    assert response.status_code == 503
    page = response.content.decode()
    assert "Votre document n&#x27;a pas pu être enregistré" in page
    assert 'value="Lyon"' in page
    kept = Volunteer.objects.get(pk=volunteer.pk)
    assert (kept.city, kept.cv.name) == ("Dakar", volunteer.cv.name)
    assert files_under(full_disk) == before


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


def test_files_written_in_a_failed_transaction_are_removed(tmp_path):
    storage = FileSystemStorage(location=str(tmp_path))

    with pytest.raises(RuntimeError), atomic_with_files(storage) as written:
        written.append(document_write(storage, "a/one.pdf", ContentFile(b"%PDF-1.4 one")))
        written.append(document_write(storage, "a/two.pdf", ContentFile(b"%PDF-1.4 two")))
        raise RuntimeError("the transaction failed")

    assert files_under(tmp_path) == []
    with atomic_with_files(storage) as written:
        written.append(document_write(storage, "a/kept.pdf", ContentFile(b"%PDF-1.4 kept")))
    assert files_under(tmp_path) == ["a/kept.pdf"]


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
