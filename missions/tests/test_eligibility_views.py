"""The eligibility verdict on the mission page, for candidates and anonymous visitors."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from missions.models import Mission, ReviewRequest
from missions.tests.factories import MissionFactory
from volunteers.models import User
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

SENEGALESE_RULE_FR = "État dont il ou elle est ressortissant·e ou résident·e régulier·e"
SENEGALESE_RULE_EN = "may not serve in the State of which they are a national or a regular resident"


@pytest.fixture
def dakar_mission():
    return MissionFactory(
        reference="DKR1",
        host_country="SN",
        city="Dakar",
        time_zone="Africa/Dakar",
        contact_email="rh@example.org",
    )


def test_an_anonymous_senegalese_national_sees_why_on_3s1284_in_french_and_english(
    client, time_machine
):
    call_command("demo")
    # While 3S1284 was open, so that the nationality is the only reason.
    time_machine.move_to(dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC), tick=False)
    answers = {"nationality": "SN", "residence": "FR"}

    french = client.get("/missions/3S1284/", answers).content.decode()
    english = client.get("/en/missions/3S1284/", answers).content.decode()

    assert "Vous ne pouvez pas postuler à cette mission" in french
    assert SENEGALESE_RULE_FR in french and "Sénégal" in french
    assert "candidatures@france-volontaires.org" in french
    assert "Demandez un réexamen" in french
    assert SENEGALESE_RULE_EN in english and "Senegal" in english
    # Who set the rule, and its article, beside the refusal.
    assert "(Loi · Loi n° 2005-159 du 23 février 2005, art. 2)" in french
    assert "(Law · Loi n° 2005-159 du 23 février 2005, art. 2)" in english


def test_an_anonymous_visitor_from_elsewhere_is_told_they_may_apply(client, dakar_mission):
    html = client.get(
        dakar_mission.get_absolute_url(), {"nationality": "FR", "residence": "BE"}
    ).content.decode()

    assert "Vous pouvez postuler." in html
    assert "D'après vos réponses" in html or "D’après vos réponses" in html


def test_a_dual_national_is_refused_by_the_second_nationality(client, dakar_mission):
    answers = {"nationality": "FR", "second_nationality": "SN", "residence": "FR"}

    html = client.get(dakar_mission.get_absolute_url(), answers).content.decode()

    assert SENEGALESE_RULE_FR in html


def test_an_unknown_country_code_gets_a_field_message(client, dakar_mission):
    html = client.get(
        dakar_mission.get_absolute_url(), {"nationality": "XX", "residence": "FR"}
    ).content.decode()

    assert "Choisissez un pays de la liste." in html
    assert "Vous pouvez postuler." not in html


def test_a_signed_in_candidate_sees_the_verdict_for_their_profile(client, dakar_mission):
    resident_in_dakar = VolunteerFactory(residence="SN", regular_residences=["FR", "SN"])
    client.force_login(resident_in_dakar.user)

    html = client.get(dakar_mission.get_absolute_url()).content.decode()

    assert "Vous êtes résident·e régulier·e de ce pays (Sénégal)" in html
    assert '<select name="nationality"' not in html  # the profile answers the questions


def test_a_signed_in_candidate_who_may_apply_sees_it_without_staff_notes(client, dakar_mission):
    dakar_mission.min_experience_years = 10
    dakar_mission.save()
    client.force_login(VolunteerFactory(experience_years=3).user)

    html = client.get(dakar_mission.get_absolute_url()).content.decode()

    assert "Vous pouvez postuler." in html
    assert "ans d'expérience sur" not in html  # a note for staff, not for the candidate


def test_a_refused_candidate_can_ask_for_a_human_review_that_reaches_the_admin(
    client, dakar_mission
):
    data = {
        "email": "fatou@example.org",
        "message": "Je n'ai plus la nationalité sénégalaise.",
        "nationality": "SN",
        "residence": "FR",
    }

    response = client.post(reverse("missions:review_request", args=["DKR1"]), data, follow=True)

    assert "Votre demande de réexamen est transmise" in response.content.decode()
    request = ReviewRequest.objects.get()
    assert request.email == "fatou@example.org"
    assert request.verdict["eligible"] is False
    assert request.verdict["findings"][0]["code"] == "host_nationality"
    staff = User.objects.create_superuser(email="staff@example.org", password="x")
    client.force_login(staff)
    assert (
        "fatou@example.org"
        in client.get(reverse("admin:missions_reviewrequest_changelist")).content.decode()
    )


def test_a_review_request_without_a_message_is_refused_and_keeps_the_email(client, dakar_mission):
    response = client.post(
        reverse("missions:review_request", args=["DKR1"]),
        {"email": "fatou@example.org", "message": ""},
    )

    assert response.status_code == 400
    assert 'value="fatou@example.org"' in response.content.decode()
    assert not ReviewRequest.objects.exists()


def test_a_30_month_vsi_mission_cannot_be_published_from_the_admin(client):
    mission = MissionFactory(reference="LONG30", status=Mission.Status.DRAFT, duration_months=30)
    client.force_login(User.objects.create_superuser(email="staff@example.org", password="x"))

    response = client.post(
        reverse("admin:missions_mission_changelist"),
        {"action": "publish", "_selected_action": [mission.pk]},
        follow=True,
    )

    mission.refresh_from_db()
    assert mission.status == Mission.Status.DRAFT
    assert "LONG30" in response.content.decode() and "24 mois" in response.content.decode()


def test_a_review_request_without_a_refusal_is_refused(client, dakar_mission):
    data = {
        "email": "spam@example.org",
        "message": "Bonjour",
        "nationality": "FR",
        "residence": "FR",
    }

    response = client.post(reverse("missions:review_request", args=["DKR1"]), data)

    assert response.status_code == 400
    assert not ReviewRequest.objects.exists()
