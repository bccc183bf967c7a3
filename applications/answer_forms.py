"""The form of the questions step: a field per question of the mission, in the candidate's
language, over the draft's saved answers (``AnswersForm``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.answers import Kind, answer_value, shown_value, visible_questions
from applications.forms import DocumentField, PlainTextField
from applications.models import Answer
from core.dates import long_date
from core.documents import DOCUMENT_HELP
from core.widgets import CountrySelect
from missions.models import Question
from missions.models.questions import LONG_TEXT_MAX, SHORT_TEXT_MAX
from volunteers.models import LANGUAGE_CHOICES, CefrLevel


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
    common: dict[str, Any] = {
        "label": question.label(language),
        "required": False,
        "help_text": question.help(language),
    }
    return FIELD_BUILDERS[question.kind](question, language, common)


def text_field(question: Question, language: str, common: dict[str, Any]) -> forms.Field:
    if question.kind == Kind.SHORT_TEXT:
        limit = min(question.max_length or SHORT_TEXT_MAX, SHORT_TEXT_MAX)
        return PlainTextField(max_length=limit, **common)
    limit = min(question.max_length or LONG_TEXT_MAX, LONG_TEXT_MAX)
    characters = _("%(count)s caractères au plus.") % {"count": number_format(limit)}
    common["help_text"] = f"{common['help_text']} {characters}".strip()
    return PlainTextField(max_length=limit, widget=forms.Textarea(attrs={"rows": 5}), **common)


def number_field(question: Question, language: str, common: dict[str, Any]) -> forms.Field:
    return forms.DecimalField(
        min_value=question.min_number,
        max_value=question.max_number,
        max_digits=12,
        decimal_places=2,
        **common,
    )


def choice_field(question: Question, language: str, common: dict[str, Any]) -> forms.Field:
    choices = option_choices(question, language)
    if question.kind == Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


def date_field(question: Question, language: str, common: dict[str, Any]) -> forms.Field:
    bounds = {"type": "date"}
    if question.min_date:
        bounds["min"] = question.min_date.isoformat()
    if question.max_date:
        bounds["max"] = question.max_date.isoformat()
    return forms.DateField(
        widget=forms.DateInput(attrs=bounds, format="%Y-%m-%d"),
        validators=[date_bounds(question)],
        **common,
    )


def country_field(question: Question, language: str, common: dict[str, Any]) -> forms.Field:
    field = forms.ChoiceField(choices=country_choices, **common)
    field.widget = CountrySelect(_("Choisissez un pays"))
    return field


def language_field(question: Question, language: str, common: dict[str, Any]) -> forms.Field:
    return LanguageLevelField(**common)


def file_field(question: Question, language: str, common: dict[str, Any]) -> forms.Field:
    common["help_text"] = f"{common['help_text']} {DOCUMENT_HELP}".strip()
    return DocumentField(widget=forms.FileInput, **common)


FieldBuilder = Callable[[Question, str, dict[str, Any]], forms.Field]
FIELD_BUILDERS: dict[str, FieldBuilder] = {
    Kind.SHORT_TEXT: text_field,
    Kind.LONG_TEXT: text_field,
    Kind.NUMBER: number_field,
    Kind.YES_NO: choice_field,
    Kind.CHOICE: choice_field,
    Kind.MULTIPLE: choice_field,
    Kind.DATE: date_field,
    Kind.COUNTRY: country_field,
    Kind.LANGUAGE: language_field,
    Kind.FILE: file_field,
}


def option_choices(question: Question, language: str) -> list[tuple[str, str]]:
    key = "en" if language == "en" else "fr"
    return [(option["value"], option[key]) for option in question.options]


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
