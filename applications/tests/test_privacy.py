"""The candidate's rights: a copy of everything, erasure, and the retention limit."""

import datetime as dt
import io
import json
import logging
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applications import privacy, services
from applications.models import Answer, Application, Stage
from missions.models import Question
from missions.tests.factories import MissionFactory, QuestionFactory
from notifications.models import OutboxMessage
from testing.documents import pdf_bytes
from testing.factories import ready_draft
from testing.outbox import deliver_outbox
from volunteers.models import User, Volunteer
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate():
    volunteer = VolunteerFactory(
        first_name="Awa", last_name="Ndiaye", user__email="awa@example.org", cv_name="CV Awa.pdf"
    )
    mission = MissionFactory(reference="GDPR1")
    application = ready_draft(volunteer, mission)
    health = QuestionFactory(
        mission=mission, kind=Question.Kind.LONG_TEXT, label_fr="Un traitement médical à prévoir ?"
    )
    diploma = QuestionFactory(mission=mission, kind=Question.Kind.FILE, label_fr="Votre diplôme")
    services.application_answers_save(
        application=application,
        questions=[health, diploma],
        changes={health.pk: "Un traitement pour l'asthme"},
        uploads={diploma.pk: ContentFile(pdf_bytes(), name="Diplome Awa.pdf")},
    )
    services.application_submit(application_id=application.pk, now=timezone.now())
    return volunteer


def test_a_candidate_downloads_everything_held_about_them(client, candidate):
    client.force_login(candidate.user)

    response = client.get("/me/data/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    names = set(archive.namelist())
    assert {
        "account.json",
        "profile.json",
        "applications.json",
        "emails.json",
        "profile/CV.pdf",
    } <= names
    assert "applications/GDPR1-0001/lettre.docx" in names
    assert "applications/GDPR1-0001/answers/Diplome Awa.pdf" in names
    profile = json.loads(archive.read("profile.json"))
    assert (profile["first_name"], profile["nationalities"]) == ("Awa", ["FR"])
    applications = json.loads(archive.read("applications.json"))
    assert (
        applications[0]["reference"] == "GDPR1-0001"
        and applications[0]["history"][0]["to"] == "submitted"
    )
    assert applications[0]["answers"][0] == {
        "question": "Un traitement médical à prévoir ?",
        "answer": "Un traitement pour l'asthme",
        "value": "Un traitement pour l'asthme",
    }
    assert json.loads(archive.read("emails.json"))[0]["template"] == "application_submitted"
    assert (applications[0]["source"], applications[0]["source_detail"]) == ("catalogue", "")


def test_the_copy_holds_the_alerts_and_the_invitations_received(client, candidate):
    from alerts.tests.factories import confirmed_alert
    from talent.models import Invitation

    confirmed_alert(candidate.user.email, country="SN")
    mission = MissionFactory(reference="INV9", title="Appui aux éleveurs")
    Invitation.objects.create(volunteer=candidate, mission=mission, at=timezone.now())
    client.force_login(candidate.user)

    response = client.get("/me/data/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    [alert] = json.loads(archive.read("alerts.json"))
    assert (alert["email"], alert["search"]["country"], alert["state"]) == (
        candidate.user.email,
        "SN",
        "active",
    )
    [invitation] = json.loads(archive.read("invitations.json"))
    assert invitation["mission"] == "INV9 – Appui aux éleveurs"


def test_deleting_the_account_withdraws_removes_files_and_anonymises(
    client, candidate, private_media, django_capture_on_commit_callbacks
):
    files = [p for p in private_media.rglob("*") if p.is_file()]
    assert files
    client.force_login(candidate.user)
    assert "Oui, supprimer mon compte" in client.get("/me/delete/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/delete/", {"confirm": "yes"}, follow=True)

    assert "Votre compte et vos documents sont supprimés." in response.content.decode()
    assert not [p for p in private_media.rglob("*") if p.is_file()]
    application = Application.objects.get()
    assert (application.stage, application.profile, application.documents.count()) == (
        Stage.WITHDRAWN,
        {},
        0,
    )
    assert not Answer.objects.exists()  # "un traitement pour l'asthme" is gone too
    volunteer = Volunteer.objects.get()
    assert (volunteer.first_name, volunteer.phone, str(volunteer.birth_date)) == ("—", "", "None")
    assert volunteer.cv_name == ""  # a file's name often carries the person's
    user = User.objects.get(pk=candidate.user.pk)
    assert not user.is_active and user.email.endswith("@invalid")
    assert not OutboxMessage.objects.filter(to="awa@example.org").exists()
    client.logout()
    refused = client.post(
        "/accounts/login/", {"login": "awa@example.org", "password": "correct horse battery staple"}
    )
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_retention_anonymises_unsuccessful_candidates_after_24_months(candidate, time_machine):
    rejected = VolunteerFactory(user__email="old@example.org")
    Application.objects.create(volunteer=rejected, mission=MissionFactory(), stage=Stage.REJECTED)
    User.objects.filter(pk=rejected.user.pk).update(last_login=timezone.now())
    selected = VolunteerFactory(user__email="selected@example.org")
    Application.objects.create(volunteer=selected, mission=MissionFactory(), stage=Stage.SELECTED)

    assert privacy.retention_purge(now=timezone.now() + dt.timedelta(days=700)) == 0
    time_machine.move_to(timezone.now() + dt.timedelta(days=740), tick=False)
    records = Records()
    logging.getLogger("applications.privacy").addHandler(records)
    try:
        count = privacy.retention_purge(now=timezone.now())
    finally:
        logging.getLogger("applications.privacy").removeHandler(records)

    erased = set(User.objects.filter(is_active=False).values_list("pk", flat=True))
    assert rejected.user.pk in erased and selected.user.pk not in erased
    assert candidate.user.pk not in erased  # an application still in play
    assert count == len(erased) == 1
    assert records.lines == ["retention: 1 candidate accounts anonymised"]


def test_mail_still_queued_for_an_erased_account_is_cancelled_not_sent(
    client, candidate, mail_via_smtp, django_capture_on_commit_callbacks
):
    queued = OutboxMessage.objects.filter(state="pending")
    assert queued.count() == 1  # the submission's confirmation, not sent yet
    client.force_login(candidate.user)

    with django_capture_on_commit_callbacks(execute=False):
        client.post("/me/delete/", {"confirm": "yes"})

    assert deliver_outbox() == {}
    assert mail_via_smtp.messages == []
    assert set(OutboxMessage.objects.values_list("state", "last_error")) == {
        ("cancelled", "recipient erased")
    }
    assert all(m.to.endswith("@invalid") for m in OutboxMessage.objects.all())
