"""The preview of a mission's questions as candidates will see them, in French and in English
side by side, disabled: linked from the mission's admin page (the form is the applications',
which ``missions`` may not import, so the page is drawn here)."""

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.answer_forms import AnswersForm, field_name
from missions.models import Mission, Question, mission_questions

# Each column in its own language, named in that language.
LANGUAGES = (("fr", "Français"), ("en", "English"))


def preview_urls(model_admin: admin.ModelAdmin[Any]) -> list[URLPattern]:
    """The page's URL, ``admin:missions_mission_questions_preview``, behind the admin's checks."""

    def view(request: HttpRequest, mission_id: int) -> HttpResponse:
        return preview_view(model_admin, request, mission_id)

    return [
        path(
            "mission/<int:mission_id>/questions-preview/",
            model_admin.admin_site.admin_view(view),
            name="missions_mission_questions_preview",
        )
    ]


def preview_view(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, mission_id: int
) -> HttpResponse:
    if not request.user.has_perm("missions.view_mission"):
        raise PermissionDenied
    # The links in the mission's order (MissionQuestion.Meta.ordering), with their questions.
    mission = get_object_or_404(
        Mission.objects.prefetch_related("question_links__question"), pk=mission_id
    )
    questions = mission_questions(mission)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Aperçu des questions de la mission %(reference)s")
        % {"reference": mission.reference},
        "mission": mission,
        "mission_opts": Mission._meta,
        "columns": [(code, name, preview_column(questions, code)) for code, name in LANGUAGES],
    }
    return render(request, "admin/missions/mission/questions_preview.html", context)


def preview_column(questions: Sequence[Question], language: str) -> SafeString:
    """The form in one language, every field disabled, each question with what staff should
    know of it (its condition, its knock-out answers)."""
    with translation.override(language):
        form = AnswersForm(questions=questions, saved={}, auto_id=f"{language}-%s")
        by_pk = {question.pk: question for question in questions}
        rows = []
        for question in questions:
            field = form[field_name(question)]
            field.field.disabled = True
            rows.append((question, field, condition(question, by_pk, language),
                         knockouts(question, language)))  # fmt: skip
        return render_to_string(
            "admin/missions/mission/questions_preview_form.html",
            {"rows": rows, "language": language},
        )


def condition(question: Question, by_pk: dict[int, Question], language: str) -> str:
    """When the question is shown, in words: "Affichée si « Permis B » : Oui"."""
    shown_if = by_pk.get(question.condition_question_id or 0)
    if shown_if is None:
        return ""
    values = ", ".join(shown_if.choice_label(v, language) for v in question.condition_values)
    return gettext("Affichée seulement si « %(label)s » : %(values)s") % {
        "label": shown_if.label(language),
        "values": values,
    }


def knockouts(question: Question, language: str) -> str:
    if not question.knockout_values:
        return ""
    values = ", ".join(question.choice_label(v, language) for v in question.knockout_values)
    return gettext("Réponse éliminatoire : %(values)s") % {"values": values}
