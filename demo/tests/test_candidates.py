"""`manage.py demo` shows the whole product: candidates at every stage, told through the
services (references, snapshots, history, documents), reviewers' scores and notes, a review
request, a coordinator with a shortlist and exports, e-mails sent, waiting and failed."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.utils import timezone
from pypdf import PdfReader

from applications.models import (
    SHORTLIST_STAGES,
    Answer,
    Application,
    ExportLog,
    Note,
    Review,
    Stage,
    StageChange,
)
from missions.models import Mission, MissionQuestion, Question, ReviewRequest
from notifications.models import OutboxMessage
from testing.documents import files_under
from volunteers.models import User, Volunteer
from volunteers.pool import pool_members

pytestmark = pytest.mark.django_db

DOMAIN = "@demo.volontiers.invalid"
COORDINATOR = f"coordination{DOMAIN}"


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def demo_applications():
    return Application.objects.filter(volunteer__user__email__endswith=DOMAIN)


def test_the_sample_applications_are_at_every_stage():
    demo()

    stages = set(demo_applications().values_list("stage", flat=True))

    assert stages == set(Stage.values)
    assert Volunteer.objects.filter(user__email__endswith=DOMAIN).count() >= 12


def test_some_candidates_chose_the_pool_and_applications_came_from_every_source():
    demo()

    members = pool_members(now=timezone.now()).filter(user__email__endswith=DOMAIN)
    refused = members.filter(applications__stage=Stage.REJECTED).distinct()
    assert (members.count(), refused.count()) == (3, 2)
    sources = set(demo_applications().values_list("source", "source_detail"))
    assert {("alert", ""), ("external", "www.linkedin.com"), ("catalogue", "")} <= sources


def test_every_sent_application_has_its_reference_snapshots_history_and_documents():
    demo()
    sent = demo_applications().exclude(stage=Stage.DRAFT).select_related("mission", "volunteer")

    assert sent.count() >= 10
    for application in sent:
        mission, volunteer = application.mission, application.volunteer
        assert re.fullmatch(rf"{mission.reference}-\d{{4}}", application.reference)
        assert application.eligibility["eligible"] is True
        assert application.profile["email"] == volunteer.user.email
        history = list(application.history.all())
        assert (history[0].from_stage, history[0].to_stage) == (Stage.DRAFT, Stage.SUBMITTED)
        assert history[-1].to_stage == application.stage
        assert [h.at for h in history] == sorted(h.at for h in history)
        assert history[0].at == application.submitted_at < timezone.now()
        documents = list(application.documents.all())
        assert {d.kind for d in documents} - {"supporting"} == {"cv", "letter"}
        for document in documents:
            with document.file.open("rb") as file:
                text = PdfReader(file).pages[0].extract_text()
            assert volunteer.last_name in text


def test_reviews_notes_assignments_and_refusals_are_those_of_staff():
    demo()
    applications = demo_applications()

    reviewed = applications.filter(stage=Stage.IN_REVIEW)
    assert Review.objects.filter(application__in=reviewed).count() >= 3
    assert Note.objects.filter(application__in=reviewed).exists()
    assert reviewed.exclude(assigned_to=None).exists()
    for refused in applications.filter(stage=Stage.REJECTED):
        assert refused.refusal_reason is not None
        assert refused.history.last().by.is_staff
    withdrawn = applications.get(stage=Stage.WITHDRAWN)
    assert withdrawn.history.last().by == withdrawn.volunteer.user
    assert withdrawn.withdrawn_at < timezone.now()


def test_candidates_come_from_many_countries_in_both_languages_with_regular_residences():
    demo()
    volunteers = list(Volunteer.objects.filter(user__email__endswith=DOMAIN))

    nationalities = {c.code for v in volunteers for c in v.nationalities}
    assert {"SN", "FR", "TG", "BJ", "MG", "MA", "VU", "BE", "CA", "KH"} <= nationalities
    assert {v.preferred_language for v in volunteers} == {"fr", "en"}
    assert all(v.regular_residences and v.cv and not v.missing() for v in volunteers)
    with volunteers[0].cv.open("rb") as cv:
        assert volunteers[0].first_name in PdfReader(cv).pages[0].extract_text()


def test_a_national_of_the_host_country_is_refused_and_asks_for_a_review():
    demo()

    request = ReviewRequest.objects.get(email__endswith=DOMAIN)

    assert request.verdict["eligible"] is False
    refusals = [f["code"] for f in request.verdict["findings"] if f["severity"] == "refusal"]
    assert refusals == ["host_nationality"]
    assert not Application.objects.filter(volunteer__user=request.user).exists()


def test_the_coordinator_sees_the_shortlist_of_their_mission_and_nothing_else(client):
    demo()
    coordinator = User.objects.get(email=COORDINATOR)
    mission = Mission.objects.get(coordinators=coordinator)
    shortlisted = mission.applications.filter(stage__in=SHORTLIST_STAGES)
    others = mission.applications.exclude(stage__in=SHORTLIST_STAGES)
    assert shortlisted.count() >= 3 and others.count() >= 2
    client.force_login(coordinator)

    home = client.get("/coordination/").content.decode()
    page = client.get(f"/coordination/missions/{mission.reference}/").content.decode()

    assert mission.reference in home
    for application in shortlisted:
        assert application.reference in page
        assert application.volunteer.last_name.upper() in page
    for application in others:
        assert application.volunteer.user.email not in page
    logged = ExportLog.objects.filter(user=coordinator, mission=mission)
    assert {log.format for log in logged} == {"xlsx", "csv-fr"}
    assert {log.rows for log in logged} == {shortlisted.count()}


def test_the_outbox_has_messages_sent_waiting_and_one_refused_by_the_server():
    demo()
    messages = OutboxMessage.objects.filter(to__endswith=DOMAIN)

    states = {state: messages.filter(state=state).count() for state in OutboxMessage.State}
    failed = messages.get(state=OutboxMessage.State.FAILED)

    assert states["sent"] >= 5 and states["pending"] >= 1 and states["failed"] == 1
    assert failed.last_error.startswith("SMTPRecipientsRefused") and "552" in failed.last_error
    assert failed.next_attempt_at is None
    assert {m.language for m in messages} == {"fr", "en"}


def test_running_demo_twice_changes_nothing_even_days_later(time_machine, private_media):
    demo()
    before = snapshot(private_media)
    time_machine.shift(dt.timedelta(days=3))

    output = demo()

    assert snapshot(private_media) == before
    assert "Sample candidates: 0 created" in output


# The models whose rows the demo makes (with the demo's people, or once for the missions).
OWNED = (
    Application, Volunteer, Review, Note, StageChange, ExportLog, ReviewRequest, Answer, Question,
    MissionQuestion,
)  # fmt: skip


def snapshot(root) -> dict:
    """Every row the demo's people own, with its changes' dates, and the stored files."""
    rows = {
        model.__name__: sorted(
            ({**model_to_dict(obj), **dates(obj)} for obj in model.objects.all()),
            key=lambda row: row["id"],
        )
        for model in OWNED
    }
    rows["OutboxMessage"] = list(
        OutboxMessage.objects.order_by("pk").values("key", "state", "sent_at", "attempts")
    )
    rows["User"] = list(User.objects.order_by("pk").values("email", "password", "is_staff"))
    return {**rows, "files": files_under(root)}


def dates(obj) -> dict:
    names = ("created_at", "updated_at", "at", "submitted_at", "withdrawn_at")
    return {name: getattr(obj, name) for name in names if hasattr(obj, name)}


def test_with_staff_prints_both_logins_and_the_pages_and_the_coordinator_signs_in(client, settings):
    settings.DEBUG = True
    output = demo("--with-staff")

    login = re.search(r"^Demo coordinator account \(password set\): (\S+) / (\S+)", output, re.M)
    assert login and login.group(1) == COORDINATOR
    assert "Demo staff account (created): staff@volontiers.example / volontiers-demo" in output
    for page in ("/missions/", "/missions/3S1329/", "/admin/applications/application/"):
        assert f"http://127.0.0.1:8000{page}" in output
    assert "Coordination: http://127.0.0.1:8000/coordination/" in output
    signed_in = client.post(
        "/accounts/login/", {"login": login.group(1), "password": login.group(2)}
    )
    assert signed_in.status_code == 302
    assert "3S1329" in client.get("/coordination/").content.decode()
    assert "(already present)" in demo("--with-staff")


def test_the_logins_are_refused_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="development only"):
        demo("--with-staff")


def test_a_story_that_fails_half_way_leaves_nothing_of_its_candidate(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("demo.applications.review_save", broken)
    with pytest.raises(RuntimeError):
        demo()
    assert not User.objects.filter(email__endswith=DOMAIN, volunteer__isnull=False).exists()
    assert not Application.objects.exists()
    assert not OutboxMessage.objects.exists()

    monkeypatch.undo()
    demo()

    assert set(demo_applications().values_list("stage", flat=True)) == set(Stage.values)
