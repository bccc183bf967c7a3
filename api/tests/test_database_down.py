"""The API with its database gone (a real PostgreSQL cluster of the test's own, stopped as a
restart stops it): a 503 problem with Retry-After, never a 500, but for answers kept before;
once it is back, answers."""

import datetime as dt

import pytest
from django.utils import timezone

from api.keys import api_key_create
from api.models import Scope
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from volunteers.models import User


@pytest.mark.services
@pytest.mark.real_clock
def test_the_api_answers_503_while_the_database_is_down(database_on_cluster, client):
    staff = User.objects.create_superuser(email="rh@example.org", password="x")
    application = submitted(mission=MissionFactory(reference="DOWN1"))
    _key, secret = api_key_create(
        name="SIRH", scopes=[Scope.APPLICATIONS_READ], created_by=staff,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    keyed = {"authorization": f"Api-Key {secret}"}
    assert client.get("/api/v1/missions/DOWN1/").status_code == 200  # the connection is open

    database_on_cluster.stop()
    # Not asked before, so not kept (a kept answer is served without the database).
    public = client.get("/api/v1/countries/", headers={"accept-language": "en"})
    private = client.get(f"/api/v1/applications/{application.reference}/", headers=keyed)
    kept = client.get("/api/v1/missions/DOWN1/")
    database_on_cluster.start()
    again = client.get(f"/api/v1/applications/{application.reference}/", headers=keyed)

    for response in (public, private):
        assert response.status_code == 503
        assert response["Retry-After"] == "60"
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "unavailable"
    assert public.json()["detail"] == "Service temporarily unavailable: try again in a minute."
    assert private.json()["detail"] == (
        "Service momentanément indisponible : réessayez dans une minute."
    )
    assert kept.status_code == 200  # kept before the outage: served without the database
    assert kept.json()["reference"] == "DOWN1"
    assert again.status_code == 200
    assert again.json()["reference"] == application.reference
