"""The coordinators' pages: their missions' shortlists only, and nothing for anyone else."""

import pytest
from django.urls import reverse

from applications.models import Stage
from applications.tests.factories import submitted
from coordination.tests.helpers import export
from missions.tests.factories import MissionFactory
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_coordinators_see_the_shortlist_only(client, coordinator, francoise, mission):
    reviewing = submitted(mission, VolunteerFactory(last_name="Enattente"), stage=Stage.IN_REVIEW)

    page = client.get(reverse("coordination:mission", args=["EXP1"])).content.decode()
    _, body = export(client, "csv")

    assert "LEFÈVRE" in page and "ENATTENTE" not in page
    assert reviewing.reference not in body.decode("utf-8-sig")
    only_interviews = export(client, "csv", stage="interview")[1].decode("utf-8-sig")
    assert "EXP1-0001" not in only_interviews


def test_a_coordinator_of_mission_a_gets_404_on_mission_b(client, coordinator, francoise):
    other = MissionFactory(reference="EXP2")
    submitted(other, stage=Stage.SHORTLISTED)

    assert client.get(reverse("coordination:mission", args=["EXP2"])).status_code == 404
    for fmt in ("csv", "csv-fr", "xlsx", "zip"):
        assert export(client, fmt, mission="EXP2")[0].status_code == 404
    home = client.get(reverse("coordination:home")).content.decode()
    assert "EXP1" in home and "EXP2" not in home


def test_anonymous_users_are_sent_to_the_login_page(client, francoise):
    for url in (reverse("coordination:home"), reverse("coordination:mission", args=["EXP1"]),
                reverse("coordination:export", args=["EXP1", "csv"])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
