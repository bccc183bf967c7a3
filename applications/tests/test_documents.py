"""Who may download a document, and that no public URL ever serves one."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management import call_command

from applications import services
from applications.models import ApplicationDocument, Stage
from missions.tests.factories import MissionFactory
from testing import clock
from testing.documents import docx_bytes, pdf_bytes
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    application = services.application_draft_get(
        volunteer=VolunteerFactory(), mission=MissionFactory()
    )
    services.application_draft_save(
        application=application,
        motivation="",
        use_profile_cv=False,
        declaration=True,
        consent=True,
        letter=ContentFile(docx_bytes(), name="lettre.docx"),
    )
    return ApplicationDocument.objects.get()


def fetch(client, document):
    response = client.get(document.get_absolute_url())
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, which closes the file
    return response


def test_the_candidate_downloads_their_document_as_an_attachment(client, document):
    client.force_login(document.application.volunteer.user)

    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="lettre.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"PK\x03\x04")


def test_anonymous_users_other_candidates_and_staff_without_permission_get_404(client, document):
    assert fetch(client, document).status_code == 404

    client.force_login(UserFactory())
    assert fetch(client, document).status_code == 404

    client.force_login(UserFactory(is_staff=True))
    assert fetch(client, document).status_code == 404


def test_staff_with_the_permission_may_download(client, document):
    reviewer = UserFactory(is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_applicationdocument"))
    client.force_login(reviewer)

    assert fetch(client, document).status_code == 200


def test_coordinators_see_documents_of_shortlisted_applications_only(client, document):
    coordinator = UserFactory()
    document.application.mission.coordinators.add(coordinator)
    client.force_login(coordinator)
    assert fetch(client, document).status_code == 404

    document.application.stage = Stage.SHORTLISTED
    document.application.save()

    assert fetch(client, document).status_code == 200


def test_no_public_url_serves_the_file(client, document, settings):
    name = document.file.name

    for prefix in ("/", "/media/", settings.STATIC_URL, "/private/"):
        assert client.get(prefix + name).status_code == 404
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None


def test_deleting_an_application_deletes_its_files(
    document, private_media, django_capture_on_commit_callbacks
):
    path = private_media / document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.application_delete(application=document.application)

    assert not path.exists()
    assert not ApplicationDocument.objects.exists()


def test_purge_orphan_files_removes_files_no_row_refers_to(document, private_media, time_machine):
    orphan = private_media / "applications" / "ab" / "orphan.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(pdf_bytes())
    clock.stamp_tree(private_media)
    kept = private_media / document.file.name

    call_command("purge_orphan_files", "--grace-hours", "0")

    assert not orphan.exists()
    assert kept.exists()


def test_purge_orphan_files_spares_young_files_and_dry_runs(document, private_media, capsys):
    orphan = private_media / "cv" / "7" / "recent.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(pdf_bytes())
    clock.stamp_tree(private_media)

    call_command("purge_orphan_files")  # within the grace period (a session and a day)
    call_command("purge_orphan_files", "--grace-hours", "0", "--dry-run")

    assert orphan.exists()
    assert "Orphan files: 1 would delete." in capsys.readouterr().out


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(client, document, settings):
    settings.DOCUMENTS_ACCEL_REDIRECT_PREFIX = "/protected-documents/"
    client.force_login(document.application.volunteer.user)

    response = client.get(document.get_absolute_url())

    assert response["X-Accel-Redirect"] == f"/protected-documents/{document.file.name}"
    assert response["Content-Disposition"] == 'attachment; filename="lettre.docx"'
    assert response.content == b""  # nginx sends the bytes, not the worker
