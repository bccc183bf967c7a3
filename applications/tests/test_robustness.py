"""Attempts to break the apply flow: races, smuggled files, half-filled profiles, fuzzing.

The checks of the files themselves (zip bombs, macros, random bytes) are core.documents',
tested in core/tests/test_documents.py.
"""

import itertools
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from applications import services
from applications.models import Application, ApplicationDocument, Stage
from missions.models import Mission
from missions.tests.factories import MissionFactory
from testing.documents import docx_bytes, pdf_bytes
from testing.factories import ready_draft
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db
FUZZ_IDS = itertools.count()


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


def test_files_smuggled_into_a_single_file_field_keep_one_checked_file(client):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)
    MissionFactory(reference="SMUG1")
    evil = SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>", "application/pdf")
    good = SimpleUploadedFile("lettre.pdf", pdf_bytes(), "application/pdf")

    response = client.post(
        "/missions/SMUG1/apply/", {"letter": [good, evil], "use_profile_cv": "yes", "next": "draft"}
    )

    # Django reads the last file of a field: the script, checked by its content and refused.
    assert response.status_code == 200
    assert "Format non accepté" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    motivation=st.text(max_size=2500),
    use_profile_cv=st.sampled_from(["yes", "no", "", "maybe", "\x00"]),
    declaration=st.sampled_from(["on", "", "1", "x"]),
    # Names the test client can send: Django's upload class refuses an empty base name.
    name=st.text(min_size=1, max_size=300).filter(
        lambda n: "\x00" not in n and os.path.basename(n) not in {"", ".", ".."}
    ),
    content=st.binary(max_size=2048),
)
def test_the_application_form_never_answers_500(
    client, motivation, use_profile_cv, declaration, name, content
):
    volunteer = VolunteerFactory.create(user=UserFactory(email=f"fuzz{next(FUZZ_IDS)}@example.org"))
    # Hypothesis runs every example in the same test transaction: one mission for them all.
    mission = Mission.objects.filter(reference="FUZZ1").first() or MissionFactory(reference="FUZZ1")
    client.force_login(volunteer.user)
    data = {"motivation": motivation.replace("\x00", ""), "use_profile_cv": use_profile_cv, "declaration": declaration,
            "next": "review", "letter": SimpleUploadedFile(name, content)}  # fmt: skip

    response = client.post(f"/missions/{mission.reference}/apply/", data)

    assert response.status_code in (200, 302, 400, 429)
    assert re.search(r"Traceback|Server Error", response.content.decode(errors="replace")) is None
