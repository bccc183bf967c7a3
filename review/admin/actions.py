"""The list's actions: a bulk stage change (after a preview of the candidates' e-mail and a
confirmation page) and taking applications for oneself."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications import services as application_services
from applications.models import STAFF_STAGES, Application, Stage
from notifications.emails import render_content
from review import emails, services
from review.admin.staff import staff_user
from review.forms import MoveStageForm

ApplicationModelAdmin = admin.ModelAdmin[Application]


@admin.action(description=_("Changer l'étape…"), permissions=["move_stage"])
def move_stage(
    modeladmin: ApplicationModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponse | None:
    """A bulk stage change, after a preview of the e-mail and a confirmation page."""
    asked = {"confirm", "preview"} & request.POST.keys()
    form = MoveStageForm(request.POST if asked else None)
    selected = list(queryset.select_related("volunteer__user", "mission").order_by("pk"))
    if "confirm" in request.POST and form.is_valid():
        apply_move(modeladmin, request, selected, form)
        return None
    to_stage = form.data.get("to_stage") if form.is_bound else request.POST.get("to_stage")
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Changer l'étape des candidatures"),
        "opts": modeladmin.model._meta,
        "form": form,
        "applications": selected,
        "previews": stage_previews(selected, request.POST.get("to_stage") or to_stage),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return render(request, "admin/applications/move_stage.html", context)


def apply_move(
    modeladmin: ApplicationModelAdmin,
    request: HttpRequest,
    selected: list[Application],
    form: MoveStageForm,
) -> None:
    """The confirmed move, all or nothing, told in messages: what moved, what could not."""
    try:
        result = services.applications_move_stage(
            application_ids=[a.pk for a in selected],
            to_stage=form.cleaned_data["to_stage"],
            acting_user=staff_user(request),
            comment=form.cleaned_data["comment"],
            reason=form.cleaned_data["reason"],
        )
    except application_services.ApplicationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return
    for _reference, problem in result.refused:
        modeladmin.message_user(request, problem, messages.WARNING)
    count = len(result.moved)
    modeladmin.message_user(
        request,
        ngettext("%(count)d candidature déplacée.", "%(count)d candidatures déplacées.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Me les confier"), permissions=["assign_application"])
def assign_to_me(
    modeladmin: ApplicationModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> None:
    count = services.applications_assign(
        application_ids=list(queryset.values_list("pk", flat=True)),
        reviewer=staff_user(request),
    )
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d candidature vous est confiée.",
            "%(count)d candidatures vous sont confiées.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


def stage_previews(
    applications: list[Application], to_stage: str | None
) -> list[tuple[str, Any, str]]:
    """The e-mail one candidate per language would receive, for staff to read before moving."""
    if to_stage not in {s.value for s in STAFF_STAGES} or to_stage == Stage.IN_REVIEW:
        return []
    previews, seen = [], set()
    for application in applications:
        language = application.volunteer.preferred_language
        if language in seen:
            continue
        seen.add(language)
        draft = emails.stage_change_preview(application, to_stage)
        content = render_content(draft.template, draft.language, draft.context)
        previews.append((language, content.subject, content.text))
    return previews
