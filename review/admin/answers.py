"""The answers to the mission's questions in the applications admin: on the application's
page, as filters of a mission's list (its yes/no and choice questions) and in the search."""

import json
from typing import Any

from django.contrib import admin
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from applications.answer_forms import option_choices
from applications.models import Answer, Application
from missions.models import CHOICE_KINDS, MissionQuestion, Question, QuestionKind
from review.admin.filters import ANSWER_PARAMETER

# The kinds whose answers the search reads: a candidate's own words, not a choice's label.
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


def answers_table(application: Application) -> SafeString:
    """The answers as they were sent, in the staff member's language (one query)."""
    language = get_language() or "fr"
    rows = [
        (answer.label(language), answer.text(language), answer.document)
        for answer in application.answers.select_related("document")
    ]
    return render_to_string("admin/applications/application/answers_table.html", {"rows": rows})


class AnswerFilter(admin.SimpleListFilter):
    """The applications that gave one answer to one yes/no or choice question (a multiple
    choice: among others), the answers to its earlier versions included."""

    question: Question

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return option_choices(self.question, get_language() or "fr")

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        value = self.value()
        if value not in {option["value"] for option in self.question.options}:
            return queryset
        answers = Answer.objects.filter(
            application=OuterRef("pk"), question__in=question_versions(self.question)
        )
        if self.question.kind == QuestionKind.MULTIPLE and connection.vendor == "postgresql":
            answers = answers.filter(value__contains=[value])
        elif self.question.kind == QuestionKind.MULTIPLE:
            # SQLite (make run) has no JSON containment: the value, quoted, in the list's text.
            answers = answers.filter(value__icontains=json.dumps(value))
        else:
            answers = answers.filter(value=value)
        return queryset.filter(Exists(answers))


def question_versions(question: Question) -> list[int]:
    """The question's id and its earlier versions' (a query per earlier version, only when a
    filter is chosen: a question rarely has more than one or two)."""
    ids = [question.pk]
    previous = question.previous_id
    while previous is not None and previous not in ids:
        ids.append(previous)
        previous = Question.objects.filter(pk=previous).values_list("previous_id", flat=True)[0]
    return ids


def answer_filters(mission_id: int) -> list[type[AnswerFilter]]:
    """One filter per yes/no or choice question the mission asks, in its order (one query)."""
    language = get_language() or "fr"
    links = (
        MissionQuestion.objects.filter(mission_id=mission_id, question__kind__in=CHOICE_KINDS)
        .select_related("question")
        .order_by("order", "pk")
    )
    return [
        type(
            f"AnswerFilter{link.question_id}",
            (AnswerFilter,),
            {
                "question": link.question,
                "title": link.question.label(language),
                "parameter_name": f"{ANSWER_PARAMETER}{link.question_id}",
            },
        )
        for link in links
    ]


def text_answer_matches(term: str) -> Exists:
    """The applications with a text answer containing the term, in either language."""
    return Exists(
        Answer.objects.filter(application=OuterRef("pk"), kind__in=TEXT_KINDS).filter(
            Q(text_fr__icontains=term) | Q(text_en__icontains=term)
        )
    )
