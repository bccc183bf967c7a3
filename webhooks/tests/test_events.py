"""Each event is written by the real service, in its transaction, for subscribed endpoints."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import privacy
from applications import services as application_services
from applications.models import Stage
from applications.tests.factories import submitted
from missions.models import Mission
from missions.tests.factories import MissionFactory
from review import services as review_services
from testing.clock import days
from testing.factories import ready_draft
from volunteers.models import User
from volunteers.tests.factories import VolunteerFactory
from webhooks import emit
from webhooks.events import Event
from webhooks.models import Delivery
from webhooks.tests.conftest import make_endpoint

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.org/volontiers"


@pytest.fixture
def staff():
    return User.objects.create_superuser(email="manager@example.org", password="x")


@pytest.fixture
def endpoint(staff):
    return make_endpoint(URL, created_by=staff)


def events() -> list[tuple[str, dict]]:
    return [(d.event, d.payload) for d in Delivery.objects.order_by("pk")]


def submitted_application():
    volunteer = VolunteerFactory(user__email="awa.ndiaye@example.org", first_name="Awa")
    draft = ready_draft(volunteer, MissionFactory(reference="3S1284", title="Chargé·e"))
    return application_services.application_submit(application_id=draft.pk, now=timezone.now())


def test_publishing_and_closing_in_the_admin_emit_both_events(client, staff, endpoint):
    mission = MissionFactory(reference="3S1284", status=Mission.Status.DRAFT, host_country="SN")
    client.force_login(staff)
    changelist = reverse("admin:missions_mission_changelist")

    for action in ("publish", "close", "archive"):
        client.post(changelist, {"action": action, "_selected_action": [mission.pk]})

    (published, p), (closed, c) = events()  # archiving is no event
    assert (published, closed) == ("mission.published", "mission.closed")
    assert (p["reference"], p["status"], p["country"], p["title"]) == (
        "3S1284",
        "published",
        "SN",
        mission.title,
    )
    assert c["status"] == "closed" and c["published_at"] == p["published_at"] is not None


def test_a_draft_closed_without_being_published_is_no_event(client, staff, endpoint):
    mission = MissionFactory(status=Mission.Status.DRAFT, published_at=None)
    client.force_login(staff)
    changelist = reverse("admin:missions_mission_changelist")

    client.post(changelist, {"action": "close", "_selected_action": [mission.pk]})

    mission.refresh_from_db()
    assert mission.status == Mission.Status.CLOSED
    assert events() == []


def test_a_status_chosen_in_the_mission_form_emits_the_event(client, staff, endpoint):
    mission = MissionFactory(reference="3S1290", status=Mission.Status.DRAFT)
    client.force_login(staff)
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"status": "published", "programmes": [], "partners": [],
                 "excluded_nationalities": [], "excluded_residences": [],
                 "languages_required": "{}", "start_date": days(187).isoformat(),
                 "deadline_date": days(125).isoformat()})  # fmt: skip
    for prefix in ("own_questions", "question_links", "training_sessions"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    ((event, payload),) = events()
    assert (event, payload["reference"], payload["status"]) == (
        "mission.published",
        "3S1290",
        "published",
    )


def test_a_submission_emits_application_submitted_without_personal_data(endpoint):
    application = submitted_application()

    ((event, payload),) = events()
    assert event == "application.submitted"
    assert payload == {
        "id": application.pk,
        "reference": "3S1284-0001",
        "mission_reference": "3S1284",
        "stage": "submitted",
        "previous_stage": "draft",
        "submitted_at": application.submitted_at.isoformat(),
        "stage_since": application.stage_since.isoformat(),
        "withdrawn_at": None,
    }
    text = json.dumps(payload)
    assert "awa" not in text.lower() and "@" not in text and "1994" not in text


def test_a_staff_move_emits_application_stage_changed(endpoint, staff):
    application = submitted_application()

    review_services.applications_move_stage(
        application_ids=[application.pk], to_stage=Stage.IN_REVIEW, acting_user=staff
    )

    event, payload = events()[-1]
    assert event == "application.stage_changed"
    assert (payload["stage"], payload["previous_stage"]) == ("in_review", "submitted")


def test_a_bulk_move_reads_the_endpoints_once_and_emits_each_move(endpoint, staff):
    mission = MissionFactory()
    applications = [submitted(mission=mission) for _ in range(4)]

    with CaptureQueriesContext(connection) as captured:
        review_services.applications_move_stage(
            application_ids=[a.pk for a in applications], to_stage=Stage.IN_REVIEW,
            acting_user=staff,
        )  # fmt: skip

    endpoint_reads = [q for q in captured if 'FROM "webhooks_endpoint"' in q["sql"]]
    assert len(endpoint_reads) == 1
    assert sorted(p["reference"] for _e, p in events()) == sorted(a.reference for a in applications)
    assert {e for e, _p in events()} == {"application.stage_changed"}


def test_a_withdrawal_emits_application_withdrawn(endpoint):
    application = submitted_application()

    application_services.application_withdraw(
        application_id=application.pk, by=application.volunteer.user
    )

    event, payload = events()[-1]
    assert event == "application.withdrawn"
    assert payload["withdrawn_at"] is not None and payload["stage"] == "withdrawn"


def test_an_erased_account_withdraws_with_the_event(endpoint):
    application = submitted_application()

    privacy.account_erase(user=application.volunteer.user, reason="account deleted")

    event, payload = events()[-1]
    assert event == "application.withdrawn"
    assert (payload["reference"], payload["previous_stage"]) == (application.reference, "submitted")


def test_a_rolled_back_transaction_leaves_no_delivery(endpoint):
    with pytest.raises(RuntimeError), transaction.atomic():
        application_services.application_submit(
            application_id=ready_draft(VolunteerFactory(), MissionFactory()).pk, now=timezone.now()
        )
        assert Delivery.objects.count() == 1  # written inside the transaction…
        raise RuntimeError("the caller fails after the submission")

    assert not Delivery.objects.exists()  # …and gone with it


def test_only_active_endpoints_subscribed_to_the_event_get_it(endpoint, staff):
    make_endpoint(URL, events=[Event.MISSION_CLOSED], created_by=staff)
    make_endpoint(URL, active=False, created_by=staff)

    assert emit(Event.MISSION_PUBLISHED, {"reference": "3S1284"}) == 1

    assert Delivery.objects.get().endpoint == endpoint


def test_sending_is_queued_only_once_the_transaction_commits(
    endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emit(Event.MISSION_PUBLISHED, {"reference": "3S1284"})

    assert len(callbacks) == 1
    assert Delivery.objects.get().state == "pending"


def test_an_unknown_event_is_refused(endpoint):
    with pytest.raises(ValueError, match="Unknown webhook event"):
        emit("mission.deleted", {})
