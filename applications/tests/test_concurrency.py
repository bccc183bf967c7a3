"""Double clicks and two tabs, for real: threads submitting at once against PostgreSQL."""

import threading
from dataclasses import dataclass

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

DRAFT_SAVED = "Brouillon enregistré : vous pouvez reprendre plus tard."


@pytest.fixture(autouse=True)
def postgresql_only():
    require_postgresql("concurrency tests need row locks, hence PostgreSQL: set DATABASE_URL")


@dataclass
class Answer:
    """What one concurrent request got: each status along its redirects, and the last page."""

    statuses: list[int]
    page: str


def at_once(clients_and_urls, data=None) -> list[Answer]:
    """POST from every client at the same instant; every request must end, none raise, and
    none answer a server error (the losers of a race get a clear page, never a 500)."""
    barrier = threading.Barrier(len(clients_and_urls))
    answers: list[Answer | None] = [None] * len(clients_and_urls)
    errors: list[BaseException] = []

    def post(index, client, url):
        try:
            barrier.wait(timeout=10)
            response = client.post(url, data or {}, follow=True)
            statuses = [status for _url, status in response.redirect_chain]
            answers[index] = Answer([*statuses, response.status_code], response.content.decode())
        except BaseException as error:  # noqa: BLE001 -- reported below, in the test's thread
            errors.append(error)
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
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    assert errors == []
    assert all(answer is not None for answer in answers)
    for answer in answers:
        assert answer.statuses[-1] == 200 and all(s < 500 for s in answer.statuses), answer
    return answers


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_tabs_submitting_at_once_make_one_application_and_one_confirmation():
    mission = MissionFactory(reference="RACE1")
    volunteer = VolunteerFactory()
    ready_draft(volunteer, mission)
    url = reverse("applications:submit", args=["RACE1"])

    answers = at_once([(signed_in(volunteer.user), url), (signed_in(volunteer.user), url)])
    pages = [answer.page for answer in answers]

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

    answers = at_once([(signed_in(v.user), url) for v in volunteers])

    references = sorted(Application.objects.values_list("reference", flat=True))
    assert references == ["RACE2-0001", "RACE2-0002", "RACE2-0003", "RACE2-0004"]
    told = sorted(
        reference
        for answer in answers
        for reference in references
        if f"Candidature envoyée. Votre référence : {reference}." in answer.page
    )
    assert told == references  # each candidate told their own reference


def test_two_tabs_opening_a_draft_at_once_make_one_application():
    MissionFactory(reference="RACE3")
    volunteer = VolunteerFactory()
    url = reverse("applications:apply", args=["RACE3"])

    answers = at_once(
        [(signed_in(volunteer.user), url) for _ in range(3)],
        {"use_profile_cv": "yes", "next": "draft"},
    )

    assert Application.objects.count() == 1
    assert all(DRAFT_SAVED in answer.page for answer in answers), [a.page[-2000:] for a in answers]
