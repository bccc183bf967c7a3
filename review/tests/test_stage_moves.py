"""Stage moves (review.services.applications_move_stage): previewed, refused, audited, atomic."""

import pytest
from django.urls import reverse

from applications.models import Application, RefusalReason, Stage, StageChange
from applications.tests.factories import submitted
from notifications.models import OutboxMessage
from review import services
from review.roles import MANAGERS
from review.tests.factories import staff
from review.tests.helpers import CHANGELIST, as_user, move
from testing.factories import bulk_submitted
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_a_manager_previews_then_confirms_a_bulk_move(client, mission):
    as_user(client, staff(MANAGERS, "rh@example.org"))
    applications = [
        submitted(mission),
        submitted(mission, VolunteerFactory(preferred_language="en")),
    ]

    preview = client.post(
        CHANGELIST,
        {
            "action": "move_stage",
            "_selected_action": [a.pk for a in applications],
            "to_stage": "shortlisted",
            "preview": "1",
        },
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "candidature ADM1-0001 présélectionnée" in html  # the French candidate's e-mail
    assert "application ADM1-0002 shortlisted" in html  # and the English one's
    assert Application.objects.filter(stage=Stage.SHORTLISTED).count() == 0

    response = move(client, applications, to_stage="shortlisted", comment="Bons profils")

    assert "2 candidatures déplacées." in response.content.decode()
    assert Application.objects.filter(stage=Stage.SHORTLISTED).count() == 2
    change = StageChange.objects.filter(to_stage="shortlisted").first()
    assert (change.by.email, change.comment, change.from_stage) == (
        "rh@example.org",
        "Bons profils",
        "submitted",
    )
    assert OutboxMessage.objects.filter(template="application_shortlisted").count() == 2


def test_moves_that_make_no_sense_are_refused_with_a_message(client, mission):
    as_user(client, staff(MANAGERS, "rh@example.org"))
    withdrawn = submitted(mission, stage=Stage.WITHDRAWN)
    fine = submitted(mission)

    response = move(client, [withdrawn, fine], to_stage="selected")

    html = response.content.decode()
    assert "n&#x27;est pas possible" in html or "n'est pas possible" in html
    withdrawn.refresh_from_db()
    assert withdrawn.stage == Stage.WITHDRAWN
    fine.refresh_from_db()
    assert fine.stage == Stage.SUBMITTED  # submitted cannot jump straight to selected either


def test_a_refusal_needs_a_reason_whose_sentence_reaches_the_candidate(client, application):
    as_user(client, staff(MANAGERS, "rh@example.org"))
    reason = RefusalReason.objects.create(
        label="Expérience", sentence_fr="Nous cherchions plus d'expérience en gestion de projets."
    )

    without = move(client, [application], to_stage="rejected")
    assert "Choisissez le motif du refus." in without.content.decode()
    move(client, [application], to_stage="rejected", reason=reason.pk)

    application.refresh_from_db()
    assert (application.stage, application.refusal_reason) == (Stage.REJECTED, reason)
    message = OutboxMessage.objects.get(template="application_rejected")
    assert message.context["reason"] == "Nous cherchions plus d'expérience en gestion de projets."


def test_every_change_is_in_the_audit_history_with_its_author(client, application):
    manager = staff(MANAGERS, "rh@example.org")
    as_user(client, manager)

    move(client, [application], to_stage="in_review", comment="On regarde")
    page = client.get(reverse("admin:applications_application_history", args=[application.pk]))

    record = application.audit.first()
    assert (record.stage, record.history_user, record.history_change_reason) == (
        "in_review",
        manager,
        "On regarde",
    )
    assert page.status_code == 200 and "rh@example.org" in page.content.decode()


def test_a_bulk_move_of_200_is_one_transaction(mission):
    manager = staff(MANAGERS, "rh@example.org")
    applications = bulk_submitted(mission, 200)

    result = services.applications_move_stage(
        application_ids=[a.pk for a in applications], to_stage="shortlisted", acting_user=manager
    )

    assert len(result.moved) == 200
    assert StageChange.objects.filter(to_stage="shortlisted").count() == 200
    assert OutboxMessage.objects.filter(template="application_shortlisted").count() == 200


def test_a_failure_in_a_bulk_move_rolls_it_all_back(mission, monkeypatch):
    manager = staff(MANAGERS, "rh@example.org")
    applications = bulk_submitted(mission, 200)
    real_enqueue = services.outbox.enqueue
    calls = {"n": 0}

    def failing_enqueue(draft):
        calls["n"] += 1
        if calls["n"] == 150:
            raise RuntimeError("the database went away")  # fault injection, mid-way
        return real_enqueue(draft)

    monkeypatch.setattr(services.outbox, "enqueue", failing_enqueue)

    with pytest.raises(RuntimeError):
        services.applications_move_stage(
            application_ids=[a.pk for a in applications],
            to_stage="shortlisted",
            acting_user=manager,
        )

    assert Application.objects.filter(stage=Stage.SHORTLISTED).count() == 0
    assert not StageChange.objects.exists() and not OutboxMessage.objects.exists()
