"""Where candidates come from: recorded on the application, filtered on in the admin."""

import pytest
from django.conf import settings
from django.urls import reverse

from applications.models import Application, Source
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from review.roles import REVIEWERS
from review.tests.factories import staff
from review.tests.helpers import CHANGELIST, as_user
from testing.clock import days
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    return MissionFactory(reference="SRC1", deadline_date=days(60))


@pytest.fixture
def candidate(client):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)
    return volunteer


def start_draft(client) -> Application:
    client.post("/missions/SRC1/apply/", {"motivation": "Bonjour", "next": "draft"})
    return Application.objects.get()


@pytest.mark.parametrize(
    ("query", "headers", "source", "detail"),
    [
        ("?source=alert", {}, Source.ALERT, ""),
        ("?source=invitation", {}, Source.INVITATION, ""),
        ("?utm_source=coordination-sud&utm_medium=email", {}, Source.EXTERNAL, "coordination-sud"),
        ("", {"HTTP_REFERER": "https://www.linkedin.com/feed/"}, Source.EXTERNAL, "www.linkedin.com"),
        ("", {"HTTP_REFERER": "http://testserver/missions/?country=SN"}, Source.CATALOGUE, ""),
        ("", {}, Source.CATALOGUE, ""),
        ("?source=spam", {}, Source.CATALOGUE, ""),
    ],
)  # fmt: skip
def test_the_mission_page_s_source_is_recorded_on_the_application_started_next(
    client, mission, candidate, query, headers, source, detail
):
    page = client.get(f"/missions/SRC1/{query}", **headers)
    assert page.status_code == 200

    application = start_draft(client)

    assert (application.source, application.source_detail) == (source, detail)


def test_the_latest_named_source_wins_and_plain_visits_keep_it(client, mission, candidate):
    client.get("/missions/?utm_source=jobboard")
    client.get("/missions/SRC1/?source=alert")
    client.get("/missions/SRC1/", HTTP_REFERER="http://testserver/missions/")

    assert start_draft(client).source == Source.ALERT


def test_an_anonymous_visit_that_names_no_source_writes_no_session(client, mission):
    response = client.get("/missions/SRC1/")

    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_source_named_before_signing_in_is_kept_after(client, mission):
    client.get("/missions/SRC1/?source=invitation")
    client.force_login(VolunteerFactory().user)

    assert start_draft(client).source == Source.INVITATION


def test_an_overlong_utm_source_is_cut_and_an_unusable_referrer_ignored(client, mission, candidate):
    client.get("/missions/SRC1/", HTTP_REFERER="javascript:alert(1)")
    assert start_draft(client).source == Source.CATALOGUE
    Application.objects.all().delete()

    client.get("/missions/SRC1/?utm_source=" + "x" * 300)
    application = start_draft(client)
    assert (application.source, application.source_detail) == (Source.EXTERNAL, "x" * 100)


def test_staff_filter_applications_on_their_source_and_see_it(client):
    mission = MissionFactory(reference="SRC2")
    from_alert = submitted(mission, VolunteerFactory(last_name="Alerte"), source=Source.ALERT)
    submitted(mission, VolunteerFactory(last_name="Lien"), source=Source.EXTERNAL,
              source_detail="www.linkedin.com")  # fmt: skip
    reviewer = as_user(client, staff(REVIEWERS, "rev@example.org"))

    html = reviewer.get(CHANGELIST + "?source=alert").content.decode()
    assert "ALERTE" in html and "LIEN" not in html

    detail = reviewer.get(reverse("admin:applications_application_change", args=[from_alert.pk]))
    assert "une alerte e-mail" in detail.content.decode()
    html = reviewer.get(CHANGELIST + "?source=external").content.decode()
    assert "LIEN" in html and "ALERTE" not in html


def test_an_invitation_counts_for_its_own_mission_only(client, mission, candidate):
    MissionFactory(reference="SRC3", deadline_date=days(60))
    client.get("/missions/SRC3/?source=invitation")  # invited to SRC3, applies to SRC1

    assert start_draft(client).source == Source.CATALOGUE

    client.get("/en/missions/SRC1/?source=invitation")
    Application.objects.all().delete()
    assert start_draft(client).source == Source.INVITATION
