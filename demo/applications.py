"""The sample applications, told step by step through the project's own services: a draft
saved, then sent (reference, snapshots, first history row, confirmation in the outbox), moved
by staff (history row, e-mail), scored, annotated, assigned, withdrawn.

Each step happens now; its row is then dated as the story says (``days`` before now), so the
admin reads a recruitment of the last weeks whatever the day the demo is loaded. The e-mails
are queued as every e-mail is; those of events a day old or more are recorded as delivered,
and one as refused by the candidate's server (data of the story: nothing is sent here).
"""

import datetime as dt
import smtplib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from applications.models import (
    NOTIFIED_STAGES,
    Application,
    Note,
    RefusalReason,
    Review,
    StageChange,
)
from applications.services import (
    application_answers_save,
    application_draft_get,
    application_draft_save,
    application_submit,
    application_withdraw,
)
from demo.documents import certificate_pdf, full_name, letter_pdf
from demo.questions import question_records
from missions.models import Mission, Question, QuestionKind, mission_questions, questions_prefetch
from notifications.services import message_record_outcome
from review.services import applications_assign, applications_move_stage, note_add, review_save
from volunteers.models import User, Volunteer

# E-mails of events at least this many days old were delivered; later ones are still to send.
DELIVERED_AFTER_DAYS = 1
LETTER_NAMES = {"fr": "Lettre de motivation {name}.pdf", "en": "Cover letter {name}.pdf"}


@dataclass
class Story:
    """A candidate's applications being told: who acts, and the e-mails written on the way."""

    volunteer: Volunteer
    record: dict[str, Any]  # the candidate's, from demo/data/candidates.json
    staff: dict[str, User]
    now: dt.datetime
    messages: list[tuple[str, float]] = field(default_factory=list)  # (outbox key, days ago)

    def moment(self, days: float) -> dt.datetime:
        return self.now - dt.timedelta(days=days)


def dated(model: type[models.Model], pk: int, **moments: dt.datetime) -> None:
    """Give a row the date its step has in the story."""
    model._default_manager.filter(pk=pk).update(**moments)


def application_tell(story: Story, spec: dict[str, Any]) -> Application:
    """One application: its draft, then, if the story sends it, its submission and steps."""
    mission = Mission.objects.get(reference=spec["mission"])
    application = draft_tell(story, spec, mission)
    sent = spec.get("sent")
    started = spec.get("started", (sent or 0) + 1)  # the draft was begun a day before sending
    dated(Application, application.pk, created_at=story.moment(started))
    if sent is None:
        return application
    application = application_submit(application_id=application.pk, now=story.moment(sent))
    dated(StageChange, last_change(application).pk, at=story.moment(sent))
    story.messages.append((f"confirmation:{application.pk}", sent))
    for step in spec.get("steps", []):
        kind = next(name for name in STEPS if name in step)
        STEPS[kind](story, application, step)
    return application


def draft_tell(story: Story, spec: dict[str, Any], mission: Mission) -> Application:
    """The draft as the apply form saves it; without a letter, one still being written."""
    paragraphs = spec.get("letter")
    letter = None
    if paragraphs is not None:
        language = story.record["profile"]["preferred_language"]
        name = LETTER_NAMES[language].format(name=full_name(story.record))
        content = letter_pdf(story.record, paragraphs, mission)
        letter = SimpleUploadedFile(name, content, "application/pdf")
    source = spec.get("source", ("catalogue", ""))  # as a visit would have named it
    draft = application_draft_get(
        volunteer=story.volunteer, mission=mission, source=(source[0], source[1])
    )
    draft = application_draft_save(
        application=draft,
        motivation=spec["motivation"],
        use_profile_cv=True,
        declaration=letter is not None,
        consent=letter is not None,
        letter=letter,
    )
    if "answers" in spec:
        answers_tell(story, spec["answers"], draft, mission)
    return draft


def answers_tell(
    story: Story, given: dict[str, Any], application: Application, mission: Mission
) -> None:
    """The answers to the mission's questions (by their key in demo/data/questions.json), as
    the questions step saves them; a file is a PDF certificate, a date ``{"in_days": n}``."""
    labels = {record["key"]: record["label_fr"] for record in question_records()}
    prefetch_related_objects([mission], questions_prefetch())
    questions = mission_questions(mission)
    by_label = {question.label_fr: question for question in questions}
    changes: dict[int, Any] = {}
    uploads: dict[int, UploadedFile] = {}
    for key, value in given.items():
        question = by_label[labels[key]]
        if question.kind == QuestionKind.FILE:
            uploads[question.pk] = certificate(story, question, value)
        elif question.kind == QuestionKind.DATE:
            day = timezone.localdate(story.now) + dt.timedelta(days=value["in_days"])
            changes[question.pk] = day.isoformat()
        else:
            changes[question.pk] = value
    application_answers_save(
        application=application, questions=questions, changes=changes, uploads=uploads
    )


def certificate(story: Story, question: Question, name: str) -> UploadedFile:
    title = question.label(story.record["profile"]["preferred_language"])
    return SimpleUploadedFile(name, certificate_pdf(story.record, title), "application/pdf")


def last_change(application: Application) -> StageChange:
    return StageChange.objects.filter(application=application).latest("pk")


def step_move(story: Story, application: Application, step: dict[str, Any]) -> None:
    """Staff move it (history row, e-mail); a ``bounce`` is the e-mail refused by the server."""
    reason = refusal_reason(step["reason"]) if "reason" in step else None
    with transaction.atomic():  # the refusal is recorded before the e-mail can be sent
        moved = applications_move_stage(
            application_ids=[application.pk],
            to_stage=step["move"],
            acting_user=story.staff[step["by"]],
            comment=step.get("comment", ""),
            reason=reason,
        )
        if moved.refused:
            raise ValueError(f"demo story: {moved.refused}")
        change = last_change(application)
        key = f"stage:{change.pk}"
        if "bounce" in step:
            code, text = step["bounce"]
            address = story.volunteer.user.email
            error = smtplib.SMTPRecipientsRefused({address: (code, text.encode())})
            message_record_outcome(key=key, error=error)
        elif step["move"] in NOTIFIED_STAGES:
            story.messages.append((key, step["days"]))
    dated(StageChange, change.pk, at=story.moment(step["days"]))


def refusal_reason(label: str) -> RefusalReason:
    """The reason of that label; staff may have renamed it: then the first one offered."""
    reason = (
        RefusalReason.objects.filter(label=label).first()
        or RefusalReason.objects.filter(active=True).first()
    )
    if reason is None:  # none at all (a test database flushed of the migrations' rows)
        reason = RefusalReason.objects.create(label=label, sentence_fr=label)
    return reason


def step_review(story: Story, application: Application, step: dict[str, Any]) -> None:
    review = review_save(
        application=application,
        reviewer=story.staff[step["review"]],
        scores=step["scores"],
        comment=step["comment"],
    )
    moment = story.moment(step["days"])
    dated(Review, review.pk, created_at=moment, updated_at=moment)


def step_note(story: Story, application: Application, step: dict[str, Any]) -> None:
    note = note_add(application=application, author=story.staff[step["note"]], text=step["text"])
    dated(Note, note.pk, created_at=story.moment(step["days"]))


def step_assign(story: Story, application: Application, step: dict[str, Any]) -> None:
    applications_assign(application_ids=[application.pk], reviewer=story.staff[step["assign"]])


def step_withdraw(story: Story, application: Application, step: dict[str, Any]) -> None:
    user = story.volunteer.user
    application_withdraw(application_id=application.pk, by=user, comment=step["comment"])
    moment = story.moment(step["days"])
    dated(Application, application.pk, withdrawn_at=moment)
    dated(StageChange, last_change(application).pk, at=moment)
    story.messages.append((f"withdrawn:{application.pk}", step["days"]))


STEPS = {
    "move": step_move,
    "review": step_review,
    "note": step_note,
    "assign": step_assign,
    "withdraw": step_withdraw,
}


def messages_deliver(story: Story) -> None:
    """The story's e-mails old enough to have been delivered are recorded so."""
    for key, days in story.messages:
        if days >= DELIVERED_AFTER_DAYS:
            message_record_outcome(key=key)
