"""The wiring: a document stored is read after the commit, and the volunteer found by staff
search; nothing is queued when the transaction rolls back."""

import pytest
from django.db import transaction
from django.utils import timezone

from applications.tests.factories import submitted
from talent import tasks
from talent.search import Criteria, search_page
from talent.tests.conftest import pdf_of, store
from volunteers.models import TextState
from volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgresql")]


@pytest.fixture
def queued(monkeypatch):
    """The tasks run at once, in this process, instead of going to the broker."""
    calls = []

    def run(task):
        def delay(*args):
            calls.append((task.name, args))
            task(*args)

        return delay

    monkeypatch.setattr(tasks.read_document_texts, "delay", run(tasks.read_document_texts))
    monkeypatch.setattr(tasks.refresh_volunteer, "delay", run(tasks.refresh_volunteer))
    return calls


def test_a_stored_document_is_read_after_the_commit(
    mission, queued, django_capture_on_commit_callbacks
):
    application = submitted(mission, VolunteerFactory(first_name="Awa"))
    with django_capture_on_commit_callbacks(execute=True):
        document = store(application, "cv", pdf_of("Ostréiculture en Casamance"), "cv.pdf")
        assert queued == []  # not before the commit
    document.refresh_from_db()
    assert document.text_state == TextState.DONE
    _page, results = search_page(
        criteria=Criteria(words="ostreiculture"), page=1, per_page=25, now=timezone.now(),
        target=None,
    )  # fmt: skip
    assert [r.profile.volunteer.first_name for r in results] == ["Awa"]


def test_nothing_is_queued_when_the_transaction_fails(
    mission, queued, django_capture_on_commit_callbacks
):
    application = submitted(mission, VolunteerFactory())
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        store(application, "cv", pdf_of("x"), "cv.pdf")
        raise RuntimeError
    assert queued == []


def test_a_replaced_profile_cv_loses_its_text_and_the_new_one_is_read(
    client, queued, django_capture_on_commit_callbacks
):
    from volunteers.tests.factories import cv_upload, profile_data

    volunteer = VolunteerFactory(
        cv_text="Ancien CV : viticulture", cv_text_state=TextState.DONE, pool_since=timezone.now()
    )
    client.force_login(volunteer.user)
    data = profile_data(**{"languages-0-language": "fr", "languages-0-level": "C2"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/profile/", {**data, "cv": cv_upload(name="nouveau.pdf")})
    volunteer.refresh_from_db()
    assert "viticulture" not in volunteer.cv_text
    assert volunteer.cv_text_state == TextState.DONE  # the new CV, read after the commit
    assert [name for name, _args in queued] == ["talent.tasks.refresh_volunteer"]
    assert "viticulture" not in volunteer.search_profile.documents_text


def test_a_submission_makes_a_past_applicant_found_by_the_search(
    mission, queued, django_capture_on_commit_callbacks
):
    from applications import services
    from testing.factories import ready_draft

    volunteer = VolunteerFactory(first_name="Awa", education_field="Halieutique")
    application = ready_draft(volunteer, mission)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application_id=application.pk, now=timezone.now())
    assert "talent.tasks.refresh_volunteer" in [name for name, _args in queued]
    _page, results = search_page(
        criteria=Criteria(words="halieutique"), page=1, per_page=25, now=timezone.now(),
        target=None,
    )  # fmt: skip
    assert [r.profile.volunteer.first_name for r in results] == ["Awa"]
