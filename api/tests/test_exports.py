"""Export jobs through the API: started for a mission the key and its creator may export,
built by a real Celery worker, then downloaded; refused by name otherwise."""

import datetime as dt
import io
import time

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from api.keys import api_key_create
from api.models import Scope
from applications.models import ExportLog, Stage
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from volunteers.models import User

pytestmark = pytest.mark.django_db


def key_for(user, scopes=(Scope.EXPORTS,), missions=()):
    return api_key_create(
        name="CRM", scopes=scopes, created_by=user, missions=missions,
        expires_at=timezone.now() + dt.timedelta(days=30),
    )[1]  # fmt: skip


def post(client, secret, **body):
    return client.post(
        "/api/v1/exports/", body, content_type="application/json",
        headers={"authorization": f"Api-Key {secret}"},
    )  # fmt: skip


def get(client, secret, url):
    return client.get(
        url.removeprefix("http://testserver"), headers={"authorization": f"Api-Key {secret}"}
    )


@pytest.mark.services
@pytest.mark.real_clock
@pytest.mark.django_db(transaction=True)
def test_an_export_is_built_by_the_worker_then_downloaded(client, celery_worker):
    staff = User.objects.create_superuser(email="rh@example.org", password="x")
    mission = MissionFactory(reference="3S1284")
    shortlisted = submitted(mission=mission, stage=Stage.SHORTLISTED)
    submitted(mission=mission, stage=Stage.IN_REVIEW)  # not on the shortlist
    secret = key_for(staff)

    started = post(client, secret, mission="3S1284", format="xlsx")
    job = started.json()
    early = get(client, secret, job["url"] + "file/")
    deadline = time.monotonic() + 60
    while job["state"] == "pending" and time.monotonic() < deadline:
        time.sleep(0.5)
        job = get(client, secret, job["url"]).json()
    file = get(client, secret, job["file"])

    assert started.status_code == 202
    assert (started.json()["state"], started.json()["rows"]) == ("pending", 1)
    assert early.status_code == 409 or job["state"] == "ready"  # the worker may be that quick
    assert job["state"] == "ready"
    assert file.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(file.streaming_content))).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row]
    assert shortlisted.reference in cells
    assert ExportLog.objects.get(public_id=job["id"]).user == staff


def test_an_export_is_refused_by_name(client):
    staff = User.objects.create_superuser(email="rh@example.org", password="x")
    mine, other = MissionFactory(reference="MINE"), MissionFactory(reference="OTHER")
    limited = key_for(staff, missions=[mine])
    reader = key_for(staff, scopes=(Scope.APPLICATIONS_READ,))

    outside = post(client, limited, mission="OTHER", format="xlsx")
    csv = post(client, limited, mission="MINE", format="csv", stages=["draft"], colour="blue")
    no_scope = post(client, reader, mission="MINE", format="xlsx")

    assert outside.status_code == 400
    assert outside.json()["errors"] == {
        "mission": ["Aucune mission que cette clé puisse exporter sous ce nom."]
    }
    assert csv.status_code == 400
    assert csv.json()["errors"] == {"colour": ["Champ inconnu."]}
    bad = post(client, limited, mission="MINE", format="csv", stages=["draft"])
    assert set(bad.json()["errors"]) == {"format", "stages"}
    assert no_scope.status_code == 403
    assert not ExportLog.objects.exists()
    assert other.pk  # exists, and answered as unknown to this key


def test_a_coordinators_key_exports_only_the_missions_they_coordinate(client):
    coordinator = User.objects.create_user(email="coord@example.org", password="x", is_staff=True)
    theirs, other = MissionFactory(), MissionFactory()
    theirs.coordinators.add(coordinator)
    secret = key_for(coordinator)

    refused = post(client, secret, mission=other.reference, format="zip")
    accepted = post(client, secret, mission=theirs.reference, format="zip", language="en")

    assert refused.status_code == 400
    assert accepted.status_code == 202
    assert accepted.json()["language"] == "en"
    assert accepted.json()["stages"] == ["interview", "selected", "shortlisted"]
