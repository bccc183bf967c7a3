"""What each staff role may see and do in the admin, and what it may not, even by posting."""

import pytest
from django.urls import reverse

from applications.models import Note, Stage, StageChange
from notifications.models import OutboxMessage
from review.roles import COORDINATORS, REVIEWERS
from review.tests.factories import staff
from review.tests.helpers import CHANGELIST, as_user, move

pytestmark = pytest.mark.django_db


def test_a_staff_member_without_a_group_sees_nothing_of_applications(client, application):
    as_user(client, staff(None, "staff@example.org"))

    assert client.get(CHANGELIST).status_code == 403
    assert (
        client.get(
            reverse("admin:applications_application_change", args=[application.pk])
        ).status_code
        == 403
    )


def test_a_coordinator_has_no_admin_access(client, application):
    as_user(client, staff(COORDINATORS, "coord@example.org"))

    response = client.get(CHANGELIST)

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_reviewer_adds_a_note_but_cannot_change_the_application(client, application):
    reviewer = staff(REVIEWERS, "rev@example.org")
    as_user(client, reviewer)
    url = reverse("admin:applications_application_change", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="stage"' not in page.content.decode()
    data = {
        "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0",
        "history-TOTAL_FORMS": "0", "history-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "0", "reviews-INITIAL_FORMS": "0",
        # The partners' opinions and accesses (selection.admin.applications), read only.
        "partner_opinions-TOTAL_FORMS": "0", "partner_opinions-INITIAL_FORMS": "0",
        "partner_accesses-TOTAL_FORMS": "0", "partner_accesses-INITIAL_FORMS": "0",
        "notes-TOTAL_FORMS": "1", "notes-INITIAL_FORMS": "0", "notes-0-text": "Appeler la référence",
        "assigned_to": str(reviewer.pk), "stage": "selected",
    }  # fmt: skip

    client.post(url, data)

    note = Note.objects.get()
    assert (note.text, note.author) == ("Appeler la référence", reviewer)
    application.refresh_from_db()
    assert (application.stage, application.assigned_to) == (Stage.SUBMITTED, None)


def test_a_reviewer_cannot_move_stages_even_by_posting_the_action(client, application):
    as_user(client, staff(REVIEWERS, "rev@example.org"))

    move(client, [application], to_stage="selected")

    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED
    assert not StageChange.objects.exists() and not OutboxMessage.objects.exists()
