"""The public API: missions with the catalogue's filters and a cursor, programmes, countries;
answers kept and validated (ETag, Last-Modified); every error a problem details body."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from api.throttles import ClientThrottle
from missions import services
from missions.models import Mission
from missions.tests.factories import MissionFactory, ProgrammeFactory
from testing.clock import days
from volunteers.models import User

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    response.queries = len(captured)
    return response


def references(response):
    return [mission["reference"] for mission in response.json()["results"]]


def test_the_list_gives_public_missions_newest_first_with_their_card_fields(client):
    older = MissionFactory(title="Appui aux coopératives", host_country="SN", city="Dakar")
    newer = MissionFactory(status=Mission.Status.CLOSED)
    MissionFactory(status=Mission.Status.DRAFT)
    MissionFactory(status=Mission.Status.ARCHIVED)

    response = get(client, "/api/v1/missions/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert references(response) == [newer.reference, older.reference]
    first = response.json()["results"][1]
    assert first["title"] == {"fr": "Appui aux coopératives", "en": None}
    assert first["host_country"] == {"code": "SN", "name": {"fr": "Sénégal", "en": "Senegal"}}
    assert first["url"] == f"http://testserver/missions/{older.reference}/"
    assert first["is_open"] is True
    assert response.json()["results"][0]["is_open"] is False
    assert first["deadline_date"] == days(125).isoformat()


def test_the_catalogues_filters_apply(client):
    programme = ProgrammeFactory(slug="v-francophonie")
    in_senegal = MissionFactory(host_country="SN", title="Maraîchage à Thiès")
    in_senegal.programmes.add(programme)
    MissionFactory(host_country="BJ", title="Maraîchage à Cotonou")
    MissionFactory(host_country="SN", title="Santé communautaire", deadline_date=days(-2))

    assert references(get(client, "/api/v1/missions/?country=SN&q=maraîchage")) == [
        in_senegal.reference
    ]
    assert references(get(client, "/api/v1/missions/?programme=v-francophonie")) == [
        in_senegal.reference
    ]
    assert len(references(get(client, "/api/v1/missions/?open_only=true"))) == 2
    assert references(get(client, "/api/v1/missions/?framework=vie")) == []


def test_a_client_that_walks_the_cursor_sees_each_mission_once(client):
    created = [MissionFactory().reference for _ in range(7)]
    seen, url, pages = [], "/api/v1/missions/?page_size=3", 0
    while url:
        response = get(client, url)
        assert response.status_code == 200
        seen += references(response)
        url, pages = response.json()["next"], pages + 1
        if url:
            MissionFactory()  # a mission published meanwhile comes before: not on later pages

    assert pages == 3
    assert seen == created[::-1]


def test_a_mission_has_every_public_field_in_both_languages(client):
    mission = MissionFactory(
        title_fr="Animation d'un tiers-lieu", title_en="Running a community hub",
        summary_fr="Appui aux partenaires.", summary_en="", languages_required={"fr": "C1"},
        excluded_nationalities=["FR"],
    )  # fmt: skip
    mission.partners.create(slug="comdev", name="COMDEV Africa")

    response = get(client, f"/api/v1/missions/{mission.reference}/")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == {"fr": "Animation d'un tiers-lieu", "en": "Running a community hub"}
    assert body["summary"] == {"fr": "Appui aux partenaires.", "en": None}
    assert body["partners"] == ["COMDEV Africa"]
    assert body["languages_required"] == {"fr": "C1"}
    assert body["excluded_nationalities"] == ["FR"]
    assert body["contact_email"] == "candidatures@example.org"
    assert "recruiters" not in body and "review_criteria" not in body
    assert "last_application_number" not in body and "coordinators" not in body


@pytest.mark.parametrize("status", [Mission.Status.DRAFT, Mission.Status.ARCHIVED])
def test_a_mission_not_public_is_not_found(client, status):
    mission = MissionFactory(status=status)

    response = get(client, f"/api/v1/missions/{mission.reference}/")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank", "title": "Not Found", "status": 404,
        "detail": "Non trouvé.", "code": "not_found",
    }  # fmt: skip


def test_an_unknown_address_under_the_api_is_a_problem_not_a_page(client):
    for url in ("/api/v1/nothing/", "/api/v2/missions/", "/api/v1/missions/A%00B/"):
        response = get(client, url)
        posted = Client(enforce_csrf_checks=True).post(url, {}, content_type="application/json")
        assert (posted.status_code, posted["Content-Type"]) == (404, PROBLEM)
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
        assert response.json()["detail"] == "Cette adresse de l'API n'existe pas."


def test_bad_filters_are_refused_by_name_in_the_readers_language(client):
    MissionFactory(host_country="BJ")
    url = "/api/v1/missions/?country=SN&framework=x&colour=blue&page_size=500&cursor=zz"

    french = get(client, url)
    english = get(client, url, accept_language="en")

    assert french.status_code == 400
    assert french["Content-Type"] == PROBLEM
    assert french.json()["errors"] == {"colour": ["Paramètre inconnu."]}
    assert english.json()["errors"] == {"colour": ["Unknown parameter."]}
    without_unknown = get(client, url.replace("&colour=blue", ""))
    assert without_unknown.json()["errors"] == {
        "country": ["Aucune mission publiée dans ce pays : choisissez un pays de la liste."],
        "framework": ["Choisissez un cadre de la liste."],
    }
    assert get(client, "/api/v1/missions/?page_size=500").json()["errors"] == {
        "page_size": ["Un nombre de 1 à 100."]
    }
    for bad in ("zz", "cD1hYmM%3D"):  # not a cursor; one whose position is "abc"
        cursor = get(client, f"/api/v1/missions/?cursor={bad}")
        assert cursor.status_code == 400
        assert cursor.json()["errors"]["cursor"][0].startswith("Curseur invalide")
    digits = get(client, "/api/v1/missions/?page_size=%C2%B2")  # "²", a digit to Python
    assert digits.json()["errors"] == {"page_size": ["Un nombre de 1 à 100."]}


def test_an_answer_is_kept_until_a_mission_changes_and_validated_by_its_etag(
    client, django_capture_on_commit_callbacks
):
    mission = MissionFactory(title="Avant")
    first = get(client, "/api/v1/missions/")
    again = get(client, "/api/v1/missions/")
    current = get(client, "/api/v1/missions/", if_none_match=first["ETag"])

    assert again.queries == 0
    assert again.content == first.content
    assert first["Cache-Control"] == "public, max-age=60"
    assert (current.status_code, current.content, current.queries) == (304, b"", 0)

    staff = User.objects.create_superuser(email="staff@example.org", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        services.missions_set_status(
            missions=Mission.objects.filter(pk=mission.pk),
            status=Mission.Status.CLOSED,
            acting_user=staff,
        )
    changed = get(client, "/api/v1/missions/", if_none_match=first["ETag"])

    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.json()["results"][0]["status"] == "closed"


def test_last_modified_is_when_the_answer_was_made_and_answers_304(
    client, time_machine, django_capture_on_commit_callbacks
):
    mission = MissionFactory()
    url = f"/api/v1/missions/{mission.reference}/"
    first = get(client, url)
    time_machine.shift(dt.timedelta(seconds=5))

    since = get(client, url, if_modified_since=first["Last-Modified"])
    with django_capture_on_commit_callbacks(execute=True):
        services.missions_set_status(
            missions=Mission.objects.filter(pk=mission.pk),
            status=Mission.Status.CLOSED,
            acting_user=User.objects.create_superuser(email="staff@example.org", password="x"),
        )
    changed = get(client, url, if_modified_since=first["Last-Modified"])

    assert since.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["status"] == "closed"
    assert changed["Last-Modified"] != first["Last-Modified"]


def test_programmes_and_countries(client):
    ProgrammeFactory(slug="milango", name="Milango", min_age=21)
    MissionFactory(host_country="SN")
    MissionFactory(host_country="SN", deadline_date=days(-1))
    MissionFactory(host_country="KH", status=Mission.Status.DRAFT)

    programmes = get(client, "/api/v1/programmes/").json()
    countries = get(client, "/api/v1/countries/").json()

    assert programmes == [
        {"slug": "milango", "name": "Milango", "description": "", "min_age": 21,
         "max_age": None, "admitted_nationalities": []}
    ]  # fmt: skip
    assert countries == [
        {"code": "SN", "name": {"fr": "Sénégal", "en": "Senegal"}, "missions": 2,
         "open_missions": 1}
    ]  # fmt: skip


def test_a_client_over_its_allowance_gets_429_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(ClientThrottle, "THROTTLE_RATES", {"public": "2/min"})
    statuses = [get(client, f"/api/v1/missions/?q=word{n}").status_code for n in range(3)]
    refused = get(client, "/api/v1/missions/?q=another")

    assert statuses == [200, 200, 429]
    assert refused["Content-Type"] == PROBLEM
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


def test_the_schema_describes_every_endpoint_and_its_problems(client):
    response = client.get("/api/v1/schema/", headers={"accept": "application/json"})

    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    assert response.status_code == 200
    assert schema is not None
    assert set(schema["paths"]) == {
        "/api/v1/missions/", "/api/v1/missions/{reference}/", "/api/v1/programmes/",
        "/api/v1/countries/", "/api/v1/applications/", "/api/v1/applications/{reference}/",
        "/api/v1/applications/{reference}/documents/{public_id}/",
        "/api/v1/applications/{reference}/stage/", "/api/v1/exports/",
        "/api/v1/exports/{public_id}/", "/api/v1/exports/{public_id}/file/",
    }  # fmt: skip
    answers = schema["paths"]["/api/v1/missions/"]["get"]["responses"]
    assert {"200", "304", "400", "404", "406", "429", "503"} <= set(answers)
    assert PROBLEM in answers["400"]["content"]
    assert "401" not in answers
    keyed = schema["paths"]["/api/v1/applications/{reference}/stage/"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "429"} <= set(keyed["responses"])
    assert keyed["security"] == [{"ApiKey": []}]


def test_the_documentation_page_uses_our_own_files(client):
    with translation.override("fr"):
        response = client.get("/api/v1/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html
    assert "<style>" not in html  # its rules are in our own file (config/csp.py)
    assert "/static/css/api-docs.css" in html
