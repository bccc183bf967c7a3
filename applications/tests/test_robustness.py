"""Attempts to break the apply flow: races, odd files, half-filled profiles."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from applications import services
from applications.models import Application, Stage
from applications.tests.factories import docx_bytes
from applications.tests.test_concurrency import ready_draft
from core.documents import validate_document
from missions.tests.factories import MissionFactory
from volunteers.tests.factories import VolunteerFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def test_a_draft_save_arriving_after_the_submission_changes_nothing():
    application = ready_draft(VolunteerFactory(), MissionFactory())
    stale = Application.objects.get(pk=application.pk)  # read before the submission
    services.application_submit(application_id=application.pk, now=timezone.now())

    with pytest.raises(services.ApplicationError):
        services.application_draft_save(
            application=stale, motivation="changed afterwards", consent=False
        )

    sent = Application.objects.get(pk=application.pk)
    assert (sent.stage, sent.motivation, sent.consent_at is not None) == (Stage.SUBMITTED, "", True)


def test_a_zip_bomb_is_refused_without_being_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"\0" * 50_000_000)  # 50 MB of zeros, ~50 KB compressed
        archive.writestr("[Content_Types].xml", b"x")
    tracemalloc.start()
    with pytest.raises(ValidationError, match="Format non accepté"):
        validate_document(upload(buffer.getvalue(), "cv.odt"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000


def test_a_macro_enabled_word_file_is_refused():
    docm = docx_bytes().replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes())) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                )
            target.writestr(item, data)
    assert docm  # the plain docx is accepted, its macro-enabled twin is not
    assert validate_document(upload(docx_bytes(), "a.docx")) == "docx"
    with pytest.raises(ValidationError, match="Format non accepté"):
        validate_document(upload(buffer.getvalue(), "a.docx"))


def test_an_ole_file_that_is_not_a_word_document_is_refused():
    fake_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"<html><script>alert(1)</script></html>" * 20

    with pytest.raises(ValidationError, match="Format non accepté"):
        validate_document(upload(fake_doc, "cv.doc"))


def test_a_pdf_protected_only_against_editing_is_accepted():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="", owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert validate_document(upload(buffer.getvalue())) == "pdf"


def test_a_lost_profile_cv_gives_a_message_not_an_error_page(client):
    volunteer = VolunteerFactory()
    mission = MissionFactory(reference="LOST1")
    application = services.application_draft_get(volunteer=volunteer, mission=mission)
    services.application_draft_save(
        application=application, use_profile_cv=True, declaration=True, consent=True,
        letter=ContentFile(docx_bytes(), name="lettre.docx"),
    )  # fmt: skip
    volunteer.cv.storage.delete(volunteer.cv.name)
    client.force_login(volunteer.user)

    response = client.post(reverse("applications:submit", args=["LOST1"]), follow=True)

    assert response.status_code == 200
    assert "Le CV de votre profil ne peut pas être lu" in response.content.decode()
    assert Application.objects.get().stage == Stage.DRAFT


def test_an_incomplete_profile_cannot_submit(client):
    volunteer = VolunteerFactory(languages={})
    ready_draft(volunteer, MissionFactory(reference="INC1"))
    client.force_login(volunteer.user)

    response = client.post(reverse("applications:submit", args=["INC1"]), follow=True)

    assert "Complétez votre profil : langues." in response.content.decode()
    assert Application.objects.get().stage == Stage.DRAFT


def test_a_refused_part_does_not_erase_what_the_draft_had(client):
    volunteer = VolunteerFactory()
    MissionFactory(reference="AUTO1")
    client.force_login(volunteer.user)
    url = reverse("applications:apply", args=["AUTO1"])
    client.post(
        url, {"motivation": "Texte sauvegardé", "use_profile_cv": "yes", "next": "autosave"}
    )

    response = client.post(url, {"motivation": "x" * 2001, "next": "autosave"})

    assert response.status_code == 422
    application = Application.objects.get()
    assert (application.motivation, application.use_profile_cv) == ("Texte sauvegardé", True)


def test_line_breaks_count_once_towards_the_motivation_limit(client):
    volunteer = VolunteerFactory()
    MissionFactory(reference="CRLF1")
    client.force_login(volunteer.user)
    text = ("a" * 99 + "\r\n") * 20  # 2,000 characters as typed, 2,020 bytes as sent

    response = client.post(
        reverse("applications:apply", args=["CRLF1"]),
        {"motivation": text, "use_profile_cv": "yes", "next": "autosave"},
    )

    assert response.status_code == 204
    assert len(Application.objects.get().motivation) == 1999  # the last line break is trimmed


def test_the_review_step_is_closed_to_a_candidate_who_became_ineligible(client):
    volunteer = VolunteerFactory()
    ready_draft(volunteer, MissionFactory(reference="REV1", host_country="SN"))
    volunteer.nationalities = ["FR", "SN"]
    volunteer.save()
    client.force_login(volunteer.user)

    response = client.get(reverse("applications:review", args=["REV1"]))

    assert response.status_code == 403
    assert "Envoyer ma candidature" not in response.content.decode()
