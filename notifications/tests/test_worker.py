"""Integration and fault tests: a real Redis, a real worker process, a real SMTP server.

Each test starts its own worker (and uses the suite's private Redis, which fault tests stop
and restart by its process id); the worker shares the test database, hence PostgreSQL.
"""

import signal
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Stage
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from notifications.outbox import queue
from notifications.tasks import sweep_outbox
from testing.celery_processes import CeleryWorker
from testing.factories import ready_draft
from testing.services import wait_for
from volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_clock]


@pytest.fixture(autouse=True)
def sweep_at_once(settings):
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0


def submit(language: str = "fr", timings: list[float] | None = None) -> tuple[Application, str]:
    """Submit a ready draft; ``timings`` receives the seconds the submission POST took."""
    volunteer = VolunteerFactory(user__email="awa@example.org", preferred_language=language)
    ready_draft(
        volunteer,
        MissionFactory(reference="3S9001", application_subject="3S9001 – Chargé·e de mission"),
    )
    client = Client()
    client.force_login(volunteer.user)
    started = time.monotonic()
    response = client.post(reverse("applications:submit", args=["3S9001"]))
    if timings is not None:
        timings.append(time.monotonic() - started)
    page = client.get(response["Location"]).content.decode()
    return Application.objects.get(), page


def test_a_submitted_application_brings_exactly_one_confirmation(celery_worker, smtp_server):
    _application, page = submit(language="en")

    wait_for(lambda: len(smtp_server.messages) == 1, message="the confirmation")
    sweep_outbox()  # a second queueing must not send it again
    wait_for(lambda: OutboxMessage.objects.filter(state="sent").count() == 1)

    (received,) = smtp_server.messages
    assert received["To"] == "awa@example.org"
    assert (
        received["Subject"].strip()
        == "3S9001 – Chargé·e de mission – application 3S9001-0001 received"
    )
    assert "3S9001-0001" in received.get_body(preferencelist=("plain",)).get_content()
    # The page speaks the site's language of the request; the e-mail, the candidate's.
    assert "Candidature envoyée. Votre référence : 3S9001-0001." in page


def test_with_redis_down_the_application_is_saved_and_the_email_follows_later(
    broker, smtp_server, postgresql_database, tmp_path
):
    broker.stop()

    application, page = submit()

    assert application.stage == Stage.SUBMITTED
    assert "Candidature envoyée. Votre référence : 3S9001-0001." in page
    assert OutboxMessage.objects.get().state == "pending"

    broker.start()
    worker = CeleryWorker(broker.url, smtp_server.port, tmp_path / "worker.log")
    worker.start()
    try:
        sweep_outbox()
        wait_for(lambda: len(smtp_server.messages) == 1, message="the e-mail after Redis came back")
        sweep_outbox()
        wait_for(lambda: OutboxMessage.objects.get().state == "sent")
    finally:
        worker.stop()
    assert len(smtp_server.messages) == 1


def test_with_redis_paused_the_submission_answers_within_two_seconds(
    broker, smtp_server, postgresql_database, tmp_path, settings
):
    """A frozen Redis accepts connections and never answers: publishing must time out.

    As in production, the same Redis is also the cache (rate limits, cached pages).
    """
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.BreakerRedisCache",
            "LOCATION": broker.url.replace("/0", "/1"),
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    worker = CeleryWorker(broker.url, smtp_server.port, tmp_path / "worker.log")
    worker.start()
    broker.pause()
    timings: list[float] = []
    try:
        application, page = submit(timings=timings)
    finally:
        broker.resume()

    assert timings[0] < 2, f"the submission took {timings[0]:.1f} s with Redis paused"
    assert application.stage == Stage.SUBMITTED
    assert "Candidature envoyée. Votre référence : 3S9001-0001." in page
    try:

        def delivered() -> bool:
            sweep_outbox()
            return len(smtp_server.messages) >= 1

        wait_for(delivered, timeout=60, interval=1, message="the e-mail after Redis resumed")
        wait_for(lambda: OutboxMessage.objects.get().state == "sent")
        sweep_outbox()
    finally:
        worker.stop()
    assert len(smtp_server.messages) == 1


def test_smtp_refusing_for_a_while_is_retried_then_delivered_once(celery_worker, smtp_server):
    smtp_server.handler.refuse_next = 2

    submit()

    def delivered() -> bool:
        sweep_outbox()
        return len(smtp_server.messages) == 1

    wait_for(delivered, timeout=60, interval=1, message="delivery after two refusals")
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == ("sent", 3)
    sweep_outbox()
    assert len(smtp_server.messages) == 1


def test_a_worker_killed_in_the_middle_of_a_send_delivers_exactly_once_after_restart(
    celery_worker, smtp_server
):
    smtp_server.handler.hang.set()

    submit()
    assert smtp_server.handler.hanging.wait(30), "the worker never reached the SMTP server"
    celery_worker.stop(signal.SIGKILL)  # killed while the SMTP conversation is under way
    smtp_server.handler.hang.clear()
    smtp_server.handler.release.set()

    celery_worker.start()

    def delivered() -> bool:
        sweep_outbox()
        return len(smtp_server.messages) >= 1

    wait_for(delivered, timeout=60, interval=1, message="delivery after the restart")
    wait_for(lambda: OutboxMessage.objects.get().state == "sent")
    sweep_outbox()
    assert len(smtp_server.messages) == 1


def test_a_worker_killed_in_the_middle_of_a_batch_sends_none_twice(celery_worker, smtp_server):
    """Each message of a batch is marked sent once accepted; the rest wait for their claim."""
    handler = smtp_server.handler
    accept = handler.handle_DATA

    async def accept_then_hold(server, session, envelope):
        reply = await accept(server, session, envelope)
        if len(handler.messages) == 2:
            handler.hang.set()  # the third message is held at RCPT, the worker waiting
        return reply

    handler.handle_DATA = accept_then_hold
    ids = [
        OutboxMessage.objects.create(
            key=f"reminder:{n}", to=f"c{n}@example.org", template="application_submitted",
            context={"application_reference": f"3S9001-{n:04}"}, language="fr",
        ).pk
        for n in range(5)
    ]  # fmt: skip
    queue(ids)  # one batch over one connection

    assert handler.hanging.wait(30), "the worker never reached the third message"
    assert OutboxMessage.objects.filter(state="sent").count() == 2  # marked as they went
    celery_worker.stop(signal.SIGKILL)
    handler.hang.clear()
    handler.release.set()
    # The batch's claim would end after the task's time limit; end it now.
    OutboxMessage.objects.filter(state="pending").update(next_attempt_at=timezone.now())
    celery_worker.start()

    def delivered() -> bool:
        sweep_outbox()
        return len(handler.messages) >= 5

    wait_for(delivered, timeout=60, interval=1, message="the rest of the batch after the restart")
    wait_for(lambda: OutboxMessage.objects.filter(state="sent").count() == 5)
    sweep_outbox()
    ids_received = sorted(m["Message-ID"] for m in handler.messages)
    assert ids_received == [f"<reminder.{n}@volontiers>" for n in range(5)]
