"""Double clicks and two tabs, for real: threads submitting at once against PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications.models import Application, Stage
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from testing.factories import ready_draft
from testing.services import require_postgresql
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    require_postgresql("concurrency tests need row locks, hence PostgreSQL: set DATABASE_URL")


def at_once(clients_and_urls, data=None):
    """POST from every client at the same instant; return the responses' texts."""
    barrier = threading.Barrier(len(clients_and_urls))
    results: list[str] = [""] * len(clients_and_urls)

    def post(index, client, url):
        try:
            barrier.wait()
            results[index] = client.post(url, data or {}, follow=True).content.decode()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(i, client, url))
        for i, (client, url) in enumerate(clients_and_urls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_tabs_submitting_at_once_make_one_application_and_one_confirmation():
    mission = MissionFactory(reference="RACE1")
    volunteer = VolunteerFactory()
    ready_draft(volunteer, mission)
    url = reverse("applications:submit", args=["RACE1"])

    pages = at_once([(signed_in(volunteer.user), url), (signed_in(volunteer.user), url)])

    application = Application.objects.get()
    assert (application.stage, application.reference) == (Stage.SUBMITTED, "RACE1-0001")
    assert OutboxMessage.objects.count() == 1
    assert sum("Candidature envoyée. Votre référence : RACE1-0001." in page for page in pages) == 1
    assert (
        sum("Cette candidature est déjà envoyée (référence RACE1-0001)." in page for page in pages)
        == 1
    )


def test_candidates_submitting_at_once_get_distinct_references():
    mission = MissionFactory(reference="RACE2")
    volunteers = [VolunteerFactory() for _ in range(4)]
    for volunteer in volunteers:
        ready_draft(volunteer, mission)
    url = reverse("applications:submit", args=["RACE2"])

    at_once([(signed_in(v.user), url) for v in volunteers])

    references = sorted(Application.objects.values_list("reference", flat=True))
    assert references == ["RACE2-0001", "RACE2-0002", "RACE2-0003", "RACE2-0004"]


def test_two_tabs_opening_a_draft_at_once_make_one_application():
    MissionFactory(reference="RACE3")
    volunteer = VolunteerFactory()
    url = reverse("applications:apply", args=["RACE3"])

    at_once(
        [(signed_in(volunteer.user), url) for _ in range(3)],
        {"use_profile_cv": "yes", "next": "draft"},
    )

    assert Application.objects.count() == 1
