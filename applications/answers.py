"""Answers to a mission's own questions: the form of the apply step, what each answer says in
French and English, and saving them in the draft, then frozen with the submission.

A question shown only on a condition (an earlier answer) is hidden when that answer does not
match; saving drops the answer of a hidden question. Every part is checked on the server:
bounds, choices offered, file checks; a part that fails is reported on its field and the
draft keeps what it had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.documents import Upload, document_delete, document_for
from applications.forms import DocumentField, PlainTextField
from applications.models import Answer, Application, ApplicationDocument, document_upload_to
from core.dates import long_date
from core.documents import DOCUMENT_HELP, document_write, validate_document
from core.widgets import CountrySelect
from missions.models import Question, QuestionKind
from missions.models.questions import LONG_TEXT_MAX, SHORT_TEXT_MAX
from volunteers.models import LANGUAGE_CHOICES, CefrLevel

Kind = QuestionKind


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class LanguageLevelWidget(forms.MultiWidget):
    """A language and its CEFR level, each list with its own label, in a fieldset whose
    legend is the question (as crispy-forms renders a multi-widget)."""

    template_name = "applications/widgets/language_level.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.Select(choices=[("", _("Choisissez une langue")), *LANGUAGE_CHOICES]),
            forms.Select(choices=[("", _("Choisissez un niveau")), *CefrLevel.choices]),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [value.get("language"), value.get("level")]
        return [None, None]


class LanguageLevelField(forms.MultiValueField):
    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False),
            forms.ChoiceField(choices=CefrLevel.choices, required=False),
        )
        super().__init__(fields, require_all_fields=False, widget=LanguageLevelWidget, **kwargs)

    def compress(self, data_list: list[Any]) -> dict[str, str] | None:
        language, level = [*(data_list or []), None, None][:2]
        if not language and not level:
            return None
        if not language or not level:
            raise ValidationError(_("Choisissez la langue et son niveau."), code="incomplete")
        return {"language": language, "level": level}


def country_choices() -> list[tuple[str, str]]:
    return [("", str(_("Choisissez un pays"))), *((code, str(name)) for code, name in countries)]


def date_bounds(question: Question) -> Any:
    def check(value: dt.date) -> None:
        if question.min_date and value < question.min_date:
            raise ValidationError(
                _("Indiquez une date à partir du %(date)s.")
                % {"date": long_date(question.min_date)},
                code="min_date",
            )
        if question.max_date and value > question.max_date:
            raise ValidationError(
                _("Indiquez une date jusqu'au %(date)s au plus tard.")
                % {"date": long_date(question.max_date)},
                code="max_date",
            )

    return check


def question_field(question: Question, language: str) -> forms.Field:
    """The form field of a question, in a language; never required here (a draft may be
    partial): ``AnswersForm`` asks for required answers when the candidate moves on."""
    common: dict[str, Any] = {"label": question.label(language), "required": False}
    help_text = question.help(language)
    kind = question.kind
    if kind == Kind.SHORT_TEXT:
        limit = min(question.max_length or SHORT_TEXT_MAX, SHORT_TEXT_MAX)
        return PlainTextField(max_length=limit, help_text=help_text, **common)
    if kind == Kind.LONG_TEXT:
        limit = min(question.max_length or LONG_TEXT_MAX, LONG_TEXT_MAX)
        characters = _("%(count)s caractères au plus.") % {"count": number_format(limit)}
        return PlainTextField(
            max_length=limit,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=f"{help_text} {characters}".strip(),
            **common,
        )
    if kind == Kind.NUMBER:
        return forms.DecimalField(
            min_value=question.min_number,
            max_value=question.max_number,
            max_digits=12,
            decimal_places=2,
            help_text=help_text,
            **common,
        )
    if kind in (Kind.YES_NO, Kind.CHOICE):
        return forms.ChoiceField(
            choices=option_choices(question, language),
            widget=forms.RadioSelect,
            help_text=help_text,
            **common,
        )
    if kind == Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=option_choices(question, language),
            widget=forms.CheckboxSelectMultiple,
            help_text=help_text,
            **common,
        )
    if kind == Kind.DATE:
        bounds = {"type": "date"}
        if question.min_date:
            bounds["min"] = question.min_date.isoformat()
        if question.max_date:
            bounds["max"] = question.max_date.isoformat()
        return forms.DateField(
            widget=forms.DateInput(attrs=bounds, format="%Y-%m-%d"),
            validators=[date_bounds(question)],
            help_text=help_text,
            **common,
        )
    if kind == Kind.COUNTRY:
        field = forms.ChoiceField(choices=country_choices, help_text=help_text, **common)
        field.widget = CountrySelect(_("Choisissez un pays"))
        return field
    if kind == Kind.LANGUAGE:
        return LanguageLevelField(help_text=help_text, **common)
    return DocumentField(
        widget=forms.FileInput, help_text=f"{help_text} {DOCUMENT_HELP}".strip(), **common
    )


def option_choices(question: Question, language: str) -> list[tuple[str, str]]:
    key = "en" if language == "en" else "fr"
    return [(option["value"], option[key]) for option in question.options]


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


class AnswersForm(forms.Form):
    """The mission's questions, in the candidate's language, over the draft's saved answers.

    ``require``: the candidate moves on to the last check, so a required question shown and
    not answered is an error on its field.
    """

    def __init__(
        self,
        *args: Any,
        questions: Sequence[Question],
        saved: Mapping[int, Answer],
        require: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.saved = saved
        self.require = require
        language = get_language() or "fr"
        for question in self.questions:
            name = field_name(question)
            self.fields[name] = question_field(question, language)
            answer = saved.get(question.pk)
            if answer is not None and question.kind != Kind.FILE:
                self.initial[name] = shown_value(question, answer.value)

    def rows(self) -> Iterable[tuple[Question, forms.BoundField, Answer | None]]:
        """Each question with its field and its saved answer, for the template."""
        for question in self.questions:
            yield question, self[field_name(question)], self.saved.get(question.pk)

    def values(self) -> dict[int, Any]:
        """The answers as they now stand: each valid field's, else the saved one (a file
        question: its file's name, if any)."""
        values: dict[int, Any] = {}
        cleaned = getattr(self, "cleaned_data", {})
        for question in self.questions:
            name = field_name(question)
            saved = self.saved.get(question.pk)
            if question.kind == Kind.FILE:
                if cleaned.get(name) is not None or (saved and saved.document_id):
                    values[question.pk] = "file"
            elif self.is_bound and name in cleaned:
                values[question.pk] = answer_value(question, cleaned[name])
            elif saved is not None:
                values[question.pk] = saved.value
        return values

    def changes(self) -> dict[int, Any]:
        """The answers this POST gives, by question (None: emptied), invalid ones left out."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            question.pk: answer_value(question, cleaned[field_name(question)])
            for question in self.questions
            if question.kind != Kind.FILE and field_name(question) in cleaned
        }

    def uploads(self) -> dict[int, UploadedFile]:
        cleaned = getattr(self, "cleaned_data", {})
        return {
            question.pk: cleaned[field_name(question)]
            for question in self.questions
            if question.kind == Kind.FILE
            and isinstance(cleaned.get(field_name(question)), UploadedFile)
        }

    def visible(self) -> set[int]:
        return visible_questions(self.questions, self.values())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.require:
            values, visible = self.values(), self.visible()
            for question in self.questions:
                name = field_name(question)
                if (
                    question.required
                    and question.pk in visible
                    and values.get(question.pk) is None
                    and name not in self.errors
                ):
                    self.add_error(name, _("Répondez à cette question."))
        return cleaned


def saved_answers(application: Application | None) -> dict[int, Answer]:
    if application is None or application.pk is None:
        return {}
    answers = Answer.objects.filter(application=application, question__isnull=False)
    return {answer.question_id: answer for answer in answers.select_related("document")}  # type: ignore[misc]


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
