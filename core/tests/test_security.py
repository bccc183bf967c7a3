"""core.security: the request body cap (413), rate limits on the real client address, and the
Content-Security-Policy built once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from missions.tests.factories import MissionFactory
from testing.factories import ready_draft
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


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


@pytest.mark.django_db
def test_the_policy_built_once_is_the_one_django_csp_builds(client):
    from csp.utils import build_policy

    # (not /ping: a plain-text "ok" answered before the stack, config/health.py)
    for response in (client.get("/healthz"), client.get("/missions/"), client.get("/nowhere/")):
        assert response["Content-Security-Policy"] == build_policy()


@pytest.mark.django_db
def test_a_report_only_policy_still_goes_through_django_csp(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}

    response = client.get("/healthz")

    assert "img-src 'self'" in response["Content-Security-Policy-Report-Only"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
