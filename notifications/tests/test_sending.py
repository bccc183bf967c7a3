"""Sending one outbox message through a real SMTP server: once, retried, or failed with a reason."""

import base64
import datetime as dt
import json

import pytest
import redis
from django.utils import timezone

from notifications import outbox, services
from notifications.models import OutboxMessage
from notifications.tasks import sweep_outbox
from testing.clock import days

pytestmark = pytest.mark.django_db

CONTEXT = {
    "application_id": 1,
    "application_reference": "3S1284-0042",
    "mission_reference": "3S1284",
    "mission_title": "Chargé·e de développement des coopérations au Sénégal",
    "subject": "3S1284 – Chargé·e de développement des coopérations au Sénégal",
    "url": "http://127.0.0.1:8000/me/",
}


def message(language="fr", key="confirmation:1") -> OutboxMessage:
    return outbox.enqueue(
        outbox.Draft(
            key=key,
            to="awa@example.org",
            template="application_submitted",
            context=CONTEXT,
            language=language,
        )
    )


def test_a_message_is_sent_once_in_french_with_the_subject_the_posting_asks_for(mail_via_smtp):
    pending = message()

    assert services.message_send(message_id=pending.pk) == "sent"
    assert services.message_send(message_id=pending.pk) == "skipped"

    (received,) = mail_via_smtp.messages
    assert (
        received["Subject"].strip()
        == "3S1284 – Chargé·e de développement des coopérations au Sénégal – candidature 3S1284-0042 reçue"
    )
    assert received["To"] == "awa@example.org"
    assert received["Message-ID"] == "<confirmation.1@volontiers>"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Nous avons bien reçu votre candidature à la mission 3S1284" in text
    assert "http://127.0.0.1:8000/me/" in text and 'lang="fr"' in html
    sent = OutboxMessage.objects.get()
    assert (sent.state, sent.attempts) == ("sent", 1) and sent.sent_at is not None


def test_the_recipients_language_is_used(mail_via_smtp):
    services.message_send(message_id=message(language="en").pk)

    (received,) = mail_via_smtp.messages
    assert received["Subject"].strip().endswith("application 3S1284-0042 received")
    assert (
        "We have received your application"
        in received.get_body(preferencelist=("plain",)).get_content()
    )


def test_enqueue_twice_with_one_key_makes_one_message():
    message()
    message()

    assert OutboxMessage.objects.count() == 1


def test_a_batch_is_sent_over_one_connection_each_message_once(mail_via_smtp):
    ids = [message(key=f"batch:{n}").pk for n in range(5)]

    outcomes = services.messages_send(message_ids=ids)
    again = services.messages_send(message_ids=ids)  # a batch delivered twice by the broker

    assert (outcomes, again) == ({"sent": 5}, {"skipped": 5})
    assert len(mail_via_smtp.messages) == 5
    assert mail_via_smtp.handler.connections == 1
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}


def test_a_refusal_inside_a_batch_delays_that_message_only(mail_via_smtp):
    ids = [message(key=f"batch:{n}").pk for n in range(4)]
    mail_via_smtp.handler.refuse_next = 1  # the first message of the batch is refused

    outcomes = services.messages_send(message_ids=ids)

    assert outcomes == {"retry": 1, "sent": 3}
    assert OutboxMessage.objects.get(pk=ids[0]).state == "pending"
    assert len(mail_via_smtp.messages) == 3


def test_a_message_that_cannot_be_built_waits_alone_and_the_batch_goes_on(
    mail_via_smtp, settings, caplog
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    ids = [message(key=f"batch:{n}").pk for n in range(3)]
    OutboxMessage.objects.filter(pk=ids[1]).update(template="removed_by_a_deploy")

    outcomes = services.messages_send(message_ids=ids)

    assert outcomes == {"sent": 2, "retry": 1}
    assert len(mail_via_smtp.messages) == 2
    broken = OutboxMessage.objects.get(pk=ids[1])
    assert (broken.state, broken.attempts) == ("pending", 1)
    assert broken.last_error.startswith("TemplateDoesNotExist")
    ours = [r.getMessage() for r in caplog.records if r.name == "notifications.services"]
    assert any("TemplateDoesNotExist" in line for line in ours)
    assert not any("awa@example.org" in line for line in ours)  # ids only in our logs
    OutboxMessage.objects.filter(pk=ids[1]).update(next_attempt_at=None)
    assert services.message_send(message_id=ids[1]) == "failed"  # the last attempt


def test_a_batch_with_smtp_down_keeps_every_message_for_later(settings, free_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port  # nothing listens there
    ids = [message(key=f"batch:{n}").pk for n in range(3)]

    assert services.messages_send(message_ids=ids) == {"retry": 3}
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {("pending", 1)}


def test_a_temporary_smtp_refusal_is_retried_later_with_backoff(
    mail_via_smtp, settings, time_machine
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    mail_via_smtp.handler.refuse_next = 2
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    pending = message()

    assert services.message_send(message_id=pending.pk) == "retry"
    pending.refresh_from_db()
    assert pending.next_attempt_at == start + dt.timedelta(seconds=60)
    assert "451" in pending.last_error
    assert services.message_send(message_id=pending.pk) == "not due"

    time_machine.move_to(start + dt.timedelta(seconds=61), tick=False)
    assert services.message_send(message_id=pending.pk) == "retry"
    pending.refresh_from_db()
    assert pending.next_attempt_at == start + dt.timedelta(seconds=61 + 120)

    time_machine.move_to(start + dt.timedelta(seconds=200), tick=False)
    assert services.message_send(message_id=pending.pk) == "sent"
    assert len(mail_via_smtp.messages) == 1


def test_after_the_last_attempt_the_message_is_failed_with_its_error(mail_via_smtp, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    mail_via_smtp.handler.refuse_next = 5
    pending = message()

    assert services.message_send(message_id=pending.pk) == "failed"

    pending.refresh_from_db()
    assert pending.state == "failed" and "Try again later" in pending.last_error


def test_an_unreachable_smtp_server_is_a_temporary_failure(settings, free_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port

    assert services.message_send(message_id=message().pk) == "retry"


def test_a_permanent_refusal_fails_at_once(mail_via_smtp):
    mail_via_smtp.handler.refusal = "550 5.1.1 No such mailbox"
    mail_via_smtp.handler.refuse_next = 1
    pending = message()

    assert services.message_send(message_id=pending.pk) == "failed"

    pending.refresh_from_db()
    assert (pending.state, pending.attempts, pending.next_attempt_at) == ("failed", 1, None)
    assert "550" in pending.last_error and "No such mailbox" in pending.last_error
    assert services.message_send(message_id=pending.pk) == "skipped"  # never tried again
    assert mail_via_smtp.messages == []


def test_a_server_closing_down_is_a_temporary_refusal(mail_via_smtp, time_machine):
    mail_via_smtp.handler.refusal = "421 4.3.2 Service shutting down"
    mail_via_smtp.handler.refuse_next = 1
    time_machine.move_to(timezone.now(), tick=False)
    pending = message()

    assert services.message_send(message_id=pending.pk) == "retry"
    pending.refresh_from_db()
    assert (pending.state, pending.attempts) == ("pending", 1) and "421" in pending.last_error

    time_machine.shift(dt.timedelta(seconds=61))
    assert services.message_send(message_id=pending.pk) == "sent"
    assert len(mail_via_smtp.messages) == 1


def queued_tasks(broker) -> list[tuple[str, list]]:
    """The tasks waiting in the broker's default queue: (name, arguments), oldest first."""
    connection = redis.Redis.from_url(broker.url)
    raw = connection.lrange("celery", 0, -1)
    connection.close()
    tasks = []
    for item in reversed(raw):  # kombu pushes to the head of the list
        envelope = json.loads(item)
        arguments = json.loads(base64.b64decode(envelope["body"]))[0]
        tasks.append((envelope["headers"]["task"], arguments))
    return tasks


def test_the_sweep_queues_again_the_messages_left_behind_and_only_those(
    broker, settings, time_machine
):
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 120
    time_machine.move_to(timezone.now(), tick=False)
    redis.Redis.from_url(broker.url).delete("celery")
    # In the test's transaction, never committed, their own queueing never happens: lost.
    old = message(key="confirmation:1")
    time_machine.shift(dt.timedelta(minutes=5))
    fresh = message(key="confirmation:2")
    waiting = message(key="confirmation:3")
    sent = message(key="confirmation:4")
    OutboxMessage.objects.filter(pk=waiting.pk).update(
        created_at=old.created_at, next_attempt_at=timezone.now() + dt.timedelta(minutes=1)
    )
    OutboxMessage.objects.filter(pk=sent.pk).update(created_at=old.created_at, state="sent")

    assert sweep_outbox() == 1

    assert queued_tasks(broker) == [("notifications.tasks.send_message", [old.pk])]
    assert fresh.pk not in services.due_for_sending(timezone.now())


def test_every_message_template_renders_in_both_languages():
    from notifications.emails import render

    contexts = {
        "draft_reminder": {
            **CONTEXT,
            "deadline": days(30).isoformat(),
            "city": "Dakar",
            "apply_url": "http://x/apply/",
        },
        "training_reminder": {
            **CONTEXT,
            "training_start": days(60).isoformat(),
            "contact_email": "rh@example.org",
        },
        "staff_digest": {
            **CONTEXT,
            "submitted": 12,
            "withdrawn": 1,
            "without_notes": 7,
            "admin_url": "http://x/admin/",
        },
    }
    templates = [
        "application_submitted",
        "application_withdrawn",
        "application_shortlisted",
        "application_interview",
        "application_selected",
        "application_rejected",
        *contexts,
    ]
    for template in templates:
        for language, word in (("fr", "Bonjour"), ("en", "Hello")):
            email = render(
                OutboxMessage(
                    key="k",
                    to="a@example.org",
                    template=template,
                    context=contexts.get(template, CONTEXT),
                    language=language,
                )
            )
            assert "\n" not in email.subject and email.subject.strip(), template
            assert email.body.startswith(word), (template, language)
            assert "{{" not in email.body and "{%" not in email.body


def test_a_batch_claims_its_messages_so_no_other_task_sends_them_until_the_claim_ends(
    mail_via_smtp, settings, time_machine
):
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    time_machine.move_to(timezone.now(), tick=False)
    ids = [message(key=f"batch:{n}").pk for n in range(3)]

    claimed, outcomes = services.messages_claim(message_ids=ids, now=timezone.now())

    assert [m.pk for m in claimed] == ids and outcomes == {}
    assert services.messages_send(message_ids=ids) == {"not due": 3}
    assert services.message_send(message_id=ids[0]) == "not due"
    assert services.due_for_sending(timezone.now()) == []
    time_machine.shift(dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 61))
    assert sorted(services.due_for_sending(timezone.now())) == sorted(ids)
    assert services.messages_send(message_ids=ids) == {"sent": 3}
    assert len(mail_via_smtp.messages) == 3


def test_a_batch_renders_shared_content_once_per_language_each_recipient_its_own_headers(
    mail_via_smtp, monkeypatch
):
    from notifications import emails

    renders: list[tuple[str, str]] = []
    render_content = emails.render_content

    def counted(template, language, context):
        renders.append((template, language))
        return render_content(template, language, context)

    monkeypatch.setattr(emails, "render_content", counted)
    ids = [
        outbox.enqueue(
            outbox.Draft(
                key=f"reminder:{n}",
                to=f"c{n}@example.org",
                template="application_submitted",
                context=CONTEXT,
                language=("fr", "en")[n % 2],
            )
        ).pk
        for n in range(6)
    ]

    assert services.messages_send(message_ids=ids) == {"sent": 6}

    assert sorted(renders) == [("application_submitted", "en"), ("application_submitted", "fr")]
    received = {m["To"]: m for m in mail_via_smtp.messages}
    for n in range(6):
        email = received[f"c{n}@example.org"]
        assert email["Message-ID"] == f"<reminder.{n}@volontiers>"
        assert email["Content-Language"] == ("fr", "en")[n % 2]
        french = "Nous avons bien reçu votre candidature"
        english = "We have received your application"
        text = email.get_body(preferencelist=("plain",)).get_content()
        assert (french if n % 2 == 0 else english) in text
    assert received["c0@example.org"]["Subject"].strip() == (
        "3S1284 – Chargé·e de développement des coopérations au Sénégal – candidature 3S1284-0042 reçue"
    )
