"""Attacks at the edges that the settings and URLs answer: Django's request limits, hosts,
CSRF and the branded error pages.

The request body cap, rate limits and the CSP middleware are tested in
core/tests/test_security.py; escaping, redirects and fuzzing beside the pages they attack.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from testing.documents import pdf_bytes
from testing.factories import ready_draft
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


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


def test_error_pages_are_branded_and_bilingual(client):
    french = client.get("/missions/NOPE/")
    english = client.get("/en/missions/NOPE/")

    assert french.status_code == english.status_code == 404
    assert "Page introuvable" in french.content.decode()
    assert "Page not found" in english.content.decode()
