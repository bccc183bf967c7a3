import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Stage, StageChange
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from testing.factories import ready_draft
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    volunteer = VolunteerFactory()
    application = ready_draft(volunteer, MissionFactory(reference="WDR1"))
    from django.utils import timezone

    return services.application_submit(application_id=application.pk, now=timezone.now())


def test_withdrawing_asks_for_confirmation_then_records_it(client, submitted):
    client.force_login(submitted.volunteer.user)
    url = reverse("applications:withdraw", args=[submitted.reference])

    page = client.get(url)
    assert "Voulez-vous vraiment retirer la candidature WDR1-0001" in page.content.decode()
    assert Application.objects.get().stage == Stage.SUBMITTED

    response = client.post(url, follow=True)

    assert "Votre candidature WDR1-0001 est retirée." in response.content.decode()
    application = Application.objects.get()
    assert application.stage == Stage.WITHDRAWN and application.withdrawn_at is not None
    last = StageChange.objects.last()
    assert (last.from_stage, last.to_stage, last.by) == (
        "submitted",
        "withdrawn",
        submitted.volunteer.user,
    )
    assert OutboxMessage.objects.filter(
        key=f"withdrawn:{application.pk}", template="application_withdrawn"
    ).exists()


def test_after_the_decision_an_application_cannot_be_withdrawn(client, submitted):
    Application.objects.filter(pk=submitted.pk).update(stage=Stage.SELECTED)
    client.force_login(submitted.volunteer.user)

    response = client.post(
        reverse("applications:withdraw", args=[submitted.reference]), follow=True
    )

    assert "ne peut plus être retirée" in response.content.decode()
    assert Application.objects.get().stage == Stage.SELECTED


def test_another_candidate_cannot_withdraw_it(client, submitted):
    client.force_login(VolunteerFactory().user)

    response = client.post(reverse("applications:withdraw", args=[submitted.reference]))

    assert response.status_code == 404
    assert Application.objects.get().stage == Stage.SUBMITTED


def test_me_lists_applications_with_stage_and_date(client, submitted):
    client.force_login(submitted.volunteer.user)

    html = client.get("/me/").content.decode()

    assert "WDR1-0001" in html and "Envoyée" in html and "Retirer" in html
