"""Answers to a mission's own questions: what each answer says in French and English, which
questions are shown (conditions), and the parts of saving them in the draft, then frozen with
the submission. Their form is ``applications.answer_forms``.

A question shown only on a condition (an earlier answer) is hidden when that answer does not
match; saving drops the answer of a hidden question. Every part is checked on the server:
bounds, choices offered, file checks; a part that fails is reported on its field and the
draft keeps what it had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.documents import Upload, document_delete, document_for
from applications.models import Answer, Application, ApplicationDocument, document_upload_to
from core.dates import long_date
from core.documents import document_write, validate_document
from missions.models import Question, QuestionKind
from volunteers.models import LANGUAGE_CHOICES, CefrLevel

Kind = QuestionKind


def answer_value(question: Question, cleaned: Any) -> Any:
    """A cleaned field value as the answer's data (JSON); None for no answer."""
    if cleaned in (None, "", [], {}):
        return None
    if question.kind == Kind.NUMBER:
        number = Decimal(cleaned)
        return int(number) if number == number.to_integral_value() else float(number)
    if isinstance(cleaned, dt.date):
        return cleaned.isoformat()
    if isinstance(cleaned, str):
        return cleaned.strip() or None
    return cleaned


def shown_value(question: Question, value: Any) -> Any:
    """An answer's data as its field shows it again."""
    if question.kind == Kind.DATE and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def condition_met(question: Question, values: Mapping[int, Any]) -> bool:
    answer = values.get(question.condition_question_id or 0)
    given = answer if isinstance(answer, list) else [answer]
    return any(value in question.condition_values for value in given)


def visible_questions(questions: Sequence[Question], values: Mapping[int, Any]) -> set[int]:
    """The ids of the questions shown for these answers: a conditional question is shown only
    when the earlier question it depends on is itself shown and has one of its values."""
    visible: set[int] = set()
    for question in questions:
        depends_on = question.condition_question_id
        if depends_on is None or (depends_on in visible and condition_met(question, values)):
            visible.add(question.pk)
    return visible


def answer_texts(question: Question, value: Any, document_name: str = "") -> tuple[str, str]:
    """What an answer says, in French and in English."""
    texts = []
    for language in ("fr", "en"):
        with translation.override(language):
            texts.append(answer_text(question, value, language, document_name))
    return texts[0], texts[1]


def answer_text(question: Question, value: Any, language: str, document_name: str) -> str:
    kind = question.kind
    if kind == Kind.FILE:
        return document_name
    if value is None:
        return ""
    if kind == Kind.NUMBER:
        return number_format(Decimal(str(value)), use_l10n=True)
    if kind in (Kind.YES_NO, Kind.CHOICE):
        return question.choice_label(value, language)
    if kind == Kind.MULTIPLE:
        return "; ".join(question.choice_label(v, language) for v in value)
    if kind == Kind.DATE:
        return long_date(dt.date.fromisoformat(value))
    if kind == Kind.COUNTRY:
        return str(countries.name(value))
    if kind == Kind.LANGUAGE:
        names = dict(LANGUAGE_CHOICES)
        return (
            f"{names.get(value['language'], value['language'])} ({CefrLevel(value['level']).label})"
        )
    return str(value)


def saved_answers(application: Application | None) -> dict[int, Answer]:
    if application is None or application.pk is None:
        return {}
    answers = Answer.objects.filter(application=application, question__isnull=False)
    return {answer.question_id: answer for answer in answers.select_related("document")}  # type: ignore[misc]


def visible_after(
    questions: Sequence[Question],
    existing: Mapping[int, Answer],
    changes: Mapping[int, Any],
    uploads: Mapping[int, Any],
) -> set[int]:
    """The questions shown once these changes and files are saved over the saved answers."""
    values = {pk: "file" if a.document_id else a.value for pk, a in existing.items()}
    values.update(changes)
    values.update(dict.fromkeys(uploads, "file"))
    return visible_questions(questions, values)


def answers_upsert(rows: Sequence[Answer]) -> None:
    """Write answers, new or replacing the application's earlier answer to the same question
    (one query however many)."""
    if rows:
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["application", "question"],
            update_fields=[
                "position", "kind", "label_fr", "label_en", "value", "text_fr", "text_en",
                "document", "updated_at",
            ],
        )  # fmt: skip


def answer_row(
    application: Application,
    question: Question,
    position: int,
    value: Any,
    document: ApplicationDocument | None = None,
) -> Answer:
    text_fr, text_en = answer_texts(question, value, document.original_name if document else "")
    return Answer(
        application=application,
        question=question,
        position=position,
        kind=question.kind,
        label_fr=question.label_fr,
        label_en=question.label_en,
        value=value,
        text_fr=text_fr,
        text_en=text_en,
        document=document,
    )


def supporting_document_store(
    application: Application, question: Question, upload: UploadedFile
) -> ApplicationDocument:
    """A file answering a question, checked like the CV, stored under a random name."""
    file_type = validate_document(upload)
    document = document_for(
        application=application,
        upload=Upload(ApplicationDocument.Kind.SUPPORTING, upload, upload.name or ""),
        file_type=file_type,
    )
    document.file = document_write(default_storage, document_upload_to(document, "upload"), upload)
    document.save()
    return document


def answers_missing(questions: Sequence[Question], answers: Mapping[int, Answer]) -> list[str]:
    """The required questions shown and not answered, as messages for the candidate."""
    values = {
        pk: answer.value if answer.value is not None else "file" for pk, answer in answers.items()
    }
    visible = visible_questions(questions, values)
    return [
        str(_("Répondez à la question « %(label)s ».") % {"label": q.label(get_language() or "fr")})
        for q in questions
        if q.required and q.pk in visible and q.pk not in answers
    ]


def answers_freeze(
    *, application: Application, questions: Sequence[Question], answers: Mapping[int, Answer]
) -> None:
    """On submission: keep the answers of the questions shown, each with its question as it now
    stands (labels, type, texts in both languages, place), and drop any other."""
    values = {
        pk: answer.value if answer.value is not None else "file" for pk, answer in answers.items()
    }
    visible = visible_questions(questions, values)
    kept = []
    for position, question in enumerate(questions):
        answer = answers.get(question.pk)
        if answer is None or question.pk not in visible:
            continue
        fresh = answer_row(application, question, position, answer.value, answer.document)
        fresh.pk = answer.pk
        kept.append(fresh)
    kept_questions = {answer.question_id for answer in kept}
    stale = [answer for pk, answer in answers.items() if pk not in kept_questions]
    # And the draft's answers to questions deleted since (their question is gone).
    stale += Answer.objects.filter(application=application, question__isnull=True).select_related(
        "document"
    )
    if stale:
        Answer.objects.filter(pk__in=[answer.pk for answer in stale]).delete()
    for answer in stale:
        if answer.document is not None:
            document_delete(document=answer.document)
    Answer.objects.bulk_update(
        kept, ["position", "kind", "label_fr", "label_en", "value", "text_fr", "text_en"]
    )


def knockout_answers(answers: Mapping[int, Answer]) -> dict[int, Any]:
    """The answers as the eligibility rules read them (``CandidateFacts.answers``)."""
    return {pk: answer.value for pk, answer in answers.items() if answer.value is not None}
