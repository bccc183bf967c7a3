"""Attacks and bad inputs at the edges: limits, forged headers, escaping, redirects, fuzzing.

Together with the per-app tests it covers the catalogue listed in the README
("Security and faults covered by tests").
"""

import itertools
import os
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from applications.models import Application
from applications.tests.test_concurrency import ready_draft
from core.documents import validate_document
from missions.models import Mission
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from volunteers.tests.factories import UserFactory, VolunteerFactory, pdf_bytes

pytestmark = pytest.mark.django_db
FUZZ_IDS = itertools.count()


def test_an_oversized_body_is_refused_with_413_before_being_read(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    client.force_login(VolunteerFactory().user)
    MissionFactory(reference="BIG1")

    response = client.post(
        "/missions/BIG1/apply/", {"cv": SimpleUploadedFile("cv.pdf", b"x" * 5000)}
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "Envoi trop volumineux" in html
    assert "(5,0\xa0Mio par document)" in html  # DOCUMENT_MAX_BYTES, written out
    assert '<a href="/missions/BIG1/apply/">Retour au formulaire</a>' in html
    assert 'href="/en/missions/BIG1/apply/" hreflang="en"' in html  # the same form in English
    assert not Application.objects.exists()


def test_an_oversized_body_gets_its_page_in_the_language_of_its_address(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    client.force_login(VolunteerFactory().user)
    MissionFactory(reference="BIG2")

    def big():
        return {"cv": SimpleUploadedFile("cv.pdf", b"x" * 5000)}

    english = client.post("/en/missions/BIG2/apply/", big()).content.decode()
    with translation.override("en"):  # what a worker's previous request may have left
        french = client.post("/missions/BIG2/apply/", big()).content.decode()

    assert '<html lang="en">' in english and "Upload too large" in english
    assert '<a href="/en/missions/BIG2/apply/">Back to the form</a>' in english
    assert '<html lang="fr">' in french
    assert '<a href="/missions/BIG2/apply/">Retour au formulaire</a>' in french


def test_an_oversized_body_to_an_unknown_path_links_home(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    big = {"cv": SimpleUploadedFile("cv.pdf", b"x" * 5000)}

    response = client.post("/x", big, PATH_INFO="//evil.example/x")

    assert response.status_code == 413
    html = response.content.decode()
    assert "evil.example" not in html and 'href="//' not in html
    assert '<a href="/missions/">Retour aux missions</a>' in html


def test_too_many_fields_is_a_clean_400(client):
    client.force_login(VolunteerFactory().user)
    MissionFactory(reference="MANY1")

    response = client.post("/missions/MANY1/apply/", {f"field{i}": "x" for i in range(500)})

    assert response.status_code == 400
    assert "Requête incorrecte" in response.content.decode()


def test_too_many_files_is_a_clean_400(client):
    client.force_login(VolunteerFactory().user)
    MissionFactory(reference="FILES1")
    files = {f"f{i}": SimpleUploadedFile(f"{i}.pdf", pdf_bytes()) for i in range(10)}

    response = client.post("/missions/FILES1/apply/", files)

    assert response.status_code == 400


def test_files_smuggled_into_a_single_file_field_keep_one_checked_file(client):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)
    MissionFactory(reference="SMUG1")
    evil = SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>", "application/pdf")
    good = SimpleUploadedFile("lettre.pdf", pdf_bytes(), "application/pdf")

    client.post(
        "/missions/SMUG1/apply/", {"letter": [good, evil], "use_profile_cv": "yes", "next": "draft"}
    )

    documents = Application.objects.get().documents.all()
    assert [d.file_type for d in documents] in ([], ["pdf"])  # the one kept was checked by content


def test_the_eligibility_check_is_rate_limited_per_client(client):
    mission = MissionFactory()
    answers = {"nationality": "FR", "residence": "FR"}
    statuses = [
        client.get(mission.get_absolute_url(), {**answers, "n": i}).status_code for i in range(32)
    ]

    assert statuses[:30] == [200] * 30
    assert statuses[-1] == 429


def test_a_forged_forwarded_for_header_neither_dodges_nor_locks_out(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # no proxy trusted: the header is ignored
    mission = MissionFactory()
    for i in range(31):
        last = client.get(mission.get_absolute_url(), {"nationality": "FR", "residence": "FR", "n": i},
                          HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")  # fmt: skip
    assert last.status_code == 429  # rotating the header did not reset the count

    other = Client(REMOTE_ADDR="192.0.2.7")
    assert (
        other.get(mission.get_absolute_url(), {"nationality": "FR", "residence": "FR"}).status_code
        == 200
    )


def test_review_requests_are_rate_limited(client):
    mission = MissionFactory(host_country="SN", reference="RL1")
    data = {"email": "a@example.org", "message": "x", "nationality": "SN", "residence": "FR"}
    statuses = [
        client.post(reverse("missions:review_request", args=["RL1"]), data).status_code
        for _ in range(6)
    ]

    assert statuses[-1] == 429
    assert mission.review_requests.count() == 5


def test_submitting_in_a_loop_is_rate_limited(client):
    volunteer = VolunteerFactory()
    ready_draft(volunteer, MissionFactory(reference="RL2"))
    client.force_login(volunteer.user)

    statuses = [
        client.post(reverse("applications:submit", args=["RL2"])).status_code for _ in range(11)
    ]

    assert statuses[-1] == 429
    assert Application.objects.get().reference == "RL2-0001"


def test_links_in_emails_ignore_a_poisoned_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    volunteer = VolunteerFactory()
    ready_draft(volunteer, MissionFactory(reference="HOST1"))
    client.force_login(volunteer.user)

    client.post(reverse("applications:submit", args=["HOST1"]), HTTP_HOST="evil.example")

    message = OutboxMessage.objects.get()
    assert message.context["url"].startswith(settings.SITE_URL)
    assert "evil" not in str(message.context)


def test_a_disallowed_host_gets_a_400_without_details(client):
    response = client.get("/missions/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()


def test_posting_without_a_csrf_token_is_refused_with_the_branded_page():
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(VolunteerFactory().user)
    MissionFactory(reference="CSRF1")

    response = csrf_client.post("/missions/CSRF1/apply/", {"next": "draft"})

    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_a_candidate_name_with_html_is_escaped_everywhere(client):
    volunteer = VolunteerFactory(first_name="<img src=x onerror=alert(1)>")
    client.force_login(volunteer.user)

    html = client.get("/me/").content.decode()

    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_mission_text_with_html_is_escaped(client):
    mission = MissionFactory(summary="<script>alert('x')</script>", title="<b>T</b>")

    html = client.get(mission.get_absolute_url()).content.decode()

    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_the_profile_next_parameter_never_leaves_the_site(client, target):
    from volunteers.tests.test_profile import cv_upload, profile_data

    client.force_login(UserFactory())
    response = client.post(f"/me/profile/?next={target}", {**profile_data(), "cv": cv_upload()})

    assert response.status_code == 302 and response["Location"] == "/me/"


def test_search_input_is_data_not_sql(client):
    MissionFactory(title="Ordinaire")

    response = client.get("/missions/", {"q": "'; DROP TABLE missions_mission; --"})

    assert response.status_code == 200
    assert MissionFactory._meta.model.objects.count() == 1


def test_another_candidates_application_pages_are_not_found(client):
    owner = VolunteerFactory()
    application = ready_draft(owner, MissionFactory(reference="IDOR1"))
    client.force_login(VolunteerFactory().user)

    assert client.get(reverse("applications:review", args=["IDOR1"])).status_code in (302, 403)
    assert client.post(reverse("applications:submit", args=["IDOR1"])).status_code == 404
    application.refresh_from_db()
    assert application.stage == "draft"


def test_error_pages_are_branded_and_bilingual(client):
    french = client.get("/missions/NOPE/")
    english = client.get("/en/missions/NOPE/")

    assert french.status_code == english.status_code == 404
    assert "Page introuvable" in french.content.decode()
    assert "Page not found" in english.content.decode()


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.binary(max_size=4096),
    head=st.sampled_from([b"", b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
)
def test_the_upload_validator_never_crashes_on_random_bytes(content, head):
    upload = SimpleUploadedFile("upload", head + content)
    try:
        kind = validate_document(upload)
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
    else:
        assert kind in {"pdf", "docx", "doc", "odt"}


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
