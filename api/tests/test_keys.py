"""API keys: hashed at rest and shown once, scoped, expiring, revocable, limited to missions,
rate-limited per key; the applications they read and the stage moves they make."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from api.authentication import KeyThrottle
from api.keys import api_key_create
from api.models import ApiKey, Scope
from applications.models import ApplicationDocument, RefusalReason, Stage, StageChange
from applications.tests.factories import ApplicationFactory, submitted
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from testing.documents import pdf_bytes
from volunteers.models import User

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
READ, STAGE = Scope.APPLICATIONS_READ, Scope.APPLICATIONS_STAGE


@pytest.fixture
def staff():
    return User.objects.create_superuser(email="rh@example.org", password="x")


def new_key(staff, scopes=(READ, STAGE), expires_in=30, missions=(), name="SIRH"):
    expires = timezone.now() + dt.timedelta(days=expires_in)
    return api_key_create(
        name=name, scopes=scopes, expires_at=expires, created_by=staff, missions=missions
    )


def call(client, secret, url, method="get", **data):
    headers = {"authorization": f"Api-Key {secret}"} if secret else {}
    if method == "post":
        return client.post(url, data, content_type="application/json", headers=headers)
    return client.get(url, data, headers=headers)


def test_a_key_is_kept_as_a_hash_only(staff):
    key, secret = new_key(staff)

    row = ApiKey.objects.values().get(pk=key.pk)
    assert secret.startswith(f"{key.prefix}.")
    assert row["hashed_key"].startswith("sha512$$")
    assert all(secret not in str(value) for value in row.values())
    assert secret.split(".")[1] not in str(row)


def test_staff_see_a_new_key_once_in_the_admin(client, staff):
    mission = MissionFactory()
    client.force_login(staff)
    expiry = timezone.localtime() + dt.timedelta(days=90)

    response = client.post(
        "/admin/api/apikey/add/",
        {"name": "CRM", "scopes": [READ], "missions": [mission.pk],
         "expiry_date_0": expiry.strftime("%d/%m/%Y"), "expiry_date_1": "12:00:00"},
    )  # fmt: skip

    key = ApiKey.objects.get(name="CRM")
    page = response.content.decode()
    secret = page.split('id="api-key" type="text" readonly size="60" value="')[1].split('"')[0]
    assert response.status_code == 200
    assert key.is_valid(secret)
    assert (key.created_by, key.scopes, list(key.missions.all())) == (staff, [READ], [mission])
    assert key.limited
    assert secret not in client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()
    assert secret not in client.get("/admin/api/apikey/").content.decode()


def test_the_admin_refuses_a_key_without_scope_or_with_a_past_expiry(client, staff):
    client.force_login(staff)
    past = timezone.localtime() - dt.timedelta(days=1)

    response = client.post(
        "/admin/api/apikey/add/",
        {"name": "CRM", "expiry_date_0": past.strftime("%d/%m/%Y"), "expiry_date_1": "12:00:00"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez au moins une portée." in page
    assert "Choisissez une date à venir." in page
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (None, "Une clé d'API est nécessaire : en-tête « Authorization: Api-Key … »."),
        ("Api-Key nope.nothing", "Clé d'API inconnue."),
        ("expired", "Cette clé d'API a expiré : demandez-en une nouvelle."),
        ("revoked", "Cette clé d'API est révoquée."),
    ],
)
def test_without_a_usable_key_the_answer_is_401(client, staff, header, detail):
    if header == "expired":
        header = "Api-Key " + new_key(staff, expires_in=-1)[1]
    elif header == "revoked":
        key, secret = new_key(staff)
        ApiKey.objects.filter(pk=key.pk).update(revoked=True)
        header = f"Api-Key {secret}"
    headers = {"authorization": header} if header else {}

    response = client.get("/api/v1/applications/", headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == detail


def test_a_key_does_only_what_its_scopes_say(client, staff):
    application = submitted()
    _read_key, reader = new_key(staff, scopes=[READ])
    _stage_key, mover = new_key(staff, scopes=[STAGE])
    url = f"/api/v1/applications/{application.reference}/"

    reading = call(client, reader, url)
    moving = call(client, reader, url + "stage/", "post", stage="in_review")
    listing = call(client, mover, "/api/v1/applications/")

    assert reading.status_code == 200
    assert moving.status_code == 403
    assert moving.json()["detail"] == "Cette clé n'a pas la portée « applications:stage »."
    assert listing.status_code == 403
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


def test_a_key_limited_to_missions_sees_nothing_of_the_others(client, staff):
    mine, other = MissionFactory(), MissionFactory()
    seen = submitted(mission=mine)
    hidden = submitted(mission=other)
    ApplicationFactory(mission=mine)  # a draft: never listed
    _key, secret = new_key(staff, missions=[mine])
    document = ApplicationDocument.objects.create(
        application=hidden, kind="cv", file=ContentFile(pdf_bytes(), name="cv.pdf"),
        original_name="cv.pdf", file_type="pdf", size=100,
    )  # fmt: skip

    listed = call(client, secret, "/api/v1/applications/").json()["results"]
    detail = call(client, secret, f"/api/v1/applications/{hidden.reference}/")
    file = call(
        client, secret, f"/api/v1/applications/{hidden.reference}/documents/{document.public_id}/"
    )
    move = call(
        client, secret, f"/api/v1/applications/{hidden.reference}/stage/", "post",
        stage="in_review",
    )  # fmt: skip

    assert [a["reference"] for a in listed] == [seen.reference]
    assert (detail.status_code, file.status_code, move.status_code) == (404, 404, 404)
    assert detail.json()["code"] == "not_found"


def test_a_key_whose_missions_are_all_deleted_sees_none(client, staff):
    mine, other = MissionFactory(), MissionFactory()
    submitted(mission=other)
    key, secret = new_key(staff, missions=[mine])
    mine.delete()

    listed = call(client, secret, "/api/v1/applications/")

    assert ApiKey.objects.get(pk=key.pk).missions.count() == 0
    assert listed.status_code == 200
    assert listed.json()["results"] == []


def test_an_application_with_its_answers_and_its_documents(client, staff):
    application = submitted(motivation="Cinq ans d'animation de coopératives.")
    content = pdf_bytes()
    document = ApplicationDocument.objects.create(
        application=application, kind="cv", file=ContentFile(content, name="cv.pdf"),
        original_name="CV Awa Diop.pdf", file_type="pdf", size=len(content),
    )  # fmt: skip
    _key, secret = new_key(staff, scopes=[READ])

    body = call(client, secret, f"/api/v1/applications/{application.reference}/").json()
    link = body["documents"][0]["url"].removeprefix("http://testserver")
    download = call(client, secret, link)
    anonymous = client.get(link)

    assert body["motivation"] == "Cinq ans d'animation de coopératives."
    assert body["candidate"]["email"] == application.volunteer.user.email
    assert "birth_date" not in body["candidate"]
    assert body["documents"][0]["original_name"] == "CV Awa Diop.pdf"
    assert link == f"/api/v1/applications/{application.reference}/documents/{document.public_id}/"
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert anonymous.status_code == 401


def test_the_list_filters_by_mission_stage_and_date(client, staff):
    mission = MissionFactory()
    old = submitted(mission=mission, submitted_at=timezone.now() - dt.timedelta(days=10))
    recent = submitted(mission=mission, submitted_at=timezone.now() - dt.timedelta(days=1))
    submitted(stage=Stage.IN_REVIEW)
    _key, secret = new_key(staff)
    since = (timezone.now() - dt.timedelta(days=5)).isoformat()

    def references(**query):
        response = call(client, secret, "/api/v1/applications/", **query)
        assert response.status_code == 200
        return [a["reference"] for a in response.json()["results"]]

    assert references(mission=mission.reference) == [recent.reference, old.reference]
    assert references(mission=mission.reference, submitted_after=since) == [recent.reference]
    assert len(references(stage="in_review")) == 1
    refused = call(client, secret, "/api/v1/applications/", stage="draft", colour="blue")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"colour": ["Paramètre inconnu."]}
    bad_stage = call(client, secret, "/api/v1/applications/", stage="draft")
    assert bad_stage.json()["errors"] == {"stage": ["«\xa0draft\xa0» n'est pas un choix valide."]}


def test_a_stage_move_follows_the_admins_rules_and_names_the_key(client, staff):
    application = submitted()
    key, secret = new_key(staff, name="SIRH")
    url = f"/api/v1/applications/{application.reference}/stage/"

    moved = call(client, secret, url, "post", stage="shortlisted", comment="Profil solide.")
    refused = call(client, secret, url, "post", stage="submitted")
    impossible = call(client, secret, url, "post", stage="in_review")

    assert moved.status_code == 200
    assert moved.json()["stage"] == "shortlisted"
    change = StageChange.objects.get(application=application, to_stage="shortlisted")
    assert (change.by, change.via, change.comment) == (
        staff,
        f"SIRH ({key.prefix})",
        "Profil solide.",
    )
    assert OutboxMessage.objects.filter(to=application.volunteer.user.email).exists()
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["stage"]
    assert impossible.status_code == 200  # shortlisted → in review is allowed
    selected = call(client, secret, url, "post", stage="selected")
    assert selected.status_code == 409
    assert selected.json()["detail"] == (
        f"{application.reference} : passer de « En cours d'examen » à « Retenue » "
        "n'est pas possible."
    )


def test_a_refusal_needs_its_reason(client, staff):
    application = submitted()
    reason = RefusalReason.objects.create(label="Profil éloigné")
    _key, secret = new_key(staff)
    url = f"/api/v1/applications/{application.reference}/stage/"

    without = call(client, secret, url, "post", stage="rejected")
    with_reason = call(client, secret, url, "post", stage="rejected", refusal_reason=reason.pk)

    assert without.status_code == 400
    assert without.json()["errors"] == {"refusal_reason": ["Choisissez le motif du refus."]}
    assert with_reason.status_code == 200
    application.refresh_from_db()
    assert (application.stage, application.refusal_reason) == (Stage.REJECTED, reason)


def test_a_key_acts_with_no_more_rights_than_its_creator(client, staff):
    application = submitted()
    reader = User.objects.create_user(email="lecteur@example.org", password="x", is_staff=True)
    # A reviewer's rights: read and change (notes), not move stages.
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "change_application"])
    )
    _key, secret = new_key(reader)
    nobody = User.objects.create_user(email="rien@example.org", password="x", is_staff=True)
    _other, unread = new_key(nobody)
    reading = call(client, unread, "/api/v1/applications/")

    move = call(
        client, secret, f"/api/v1/applications/{application.reference}/stage/", "post",
        stage="in_review",
    )  # fmt: skip
    reader.is_active = False
    reader.save()
    gone = call(client, secret, "/api/v1/applications/")

    assert move.status_code == 403
    assert move.json()["detail"] == (
        "La personne qui a créé cette clé n'a pas ce droit (applications:stage)."
    )
    assert reading.status_code == 403
    assert gone.status_code == 401


def test_each_key_has_its_own_allowance(client, staff, monkeypatch):
    monkeypatch.setattr(KeyThrottle, "THROTTLE_RATES", {"key": "2/min"})
    _key, first = new_key(staff)
    _other, second = new_key(staff)

    statuses = [call(client, first, "/api/v1/applications/").status_code for _ in range(3)]
    refused = call(client, first, "/api/v1/applications/")
    other = call(client, second, "/api/v1/applications/")

    assert statuses == [200, 200, 429]
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert other.status_code == 200


def test_a_key_records_when_it_was_last_used(client, staff, time_machine):
    key, secret = new_key(staff)

    def last_used_after_a_call():
        assert call(client, secret, "/api/v1/applications/").status_code == 200
        return ApiKey.objects.get(pk=key.pk).last_used_at

    first = last_used_after_a_call()
    time_machine.shift(dt.timedelta(seconds=30))
    within_the_minute = last_used_after_a_call()
    time_machine.shift(dt.timedelta(seconds=40))
    later = last_used_after_a_call()

    assert first is not None
    assert within_the_minute == first  # written once a minute at most
    assert later - first >= dt.timedelta(seconds=70)
