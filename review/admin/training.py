"""Pre-departure training in the admin: the enrolments and their attendance, a session's
roster as CSV, and on the applications list the actions "Inscrire en formation…" and
"Marquer parti·e" and a filter on where each volunteer stands."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.models import Application, Stage
from core.exports import csv_stream
from missions.models import TrainingSession
from review import training
from review.admin.staff import staff_user
from review.models import TrainingEnrolment

ApplicationModelAdmin = admin.ModelAdmin[Application]


@admin.register(TrainingEnrolment)
class TrainingEnrolmentAdmin(admin.ModelAdmin[TrainingEnrolment]):
    list_display = ("application", "volunteer", "session", "mission", "attended", "attendance_by")
    list_editable = ("attended",)
    list_filter = (("session", admin.RelatedOnlyFieldListFilter), "attended")
    list_select_related = ("application__volunteer", "application__mission", "session",
                           "attendance_by")  # fmt: skip
    search_fields = ("application__reference", "application__volunteer__last_name",
                     "application__volunteer__first_name")  # fmt: skip
    fields = ("application", "session", "attended", "attendance_by", "enrolled_at")
    # Another session is chosen with "Inscrire en formation…", which checks its seats.
    readonly_fields = ("application", "session", "attendance_by", "enrolled_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # from the applications list: "Inscrire en formation…" checks the stage

    def get_urls(self) -> list[URLPattern]:
        def view(request: HttpRequest, session_id: int) -> HttpResponseBase:
            return roster_view(self, request, session_id)

        roster = path("roster/<int:session_id>/", self.admin_site.admin_view(view),
                      name="review_trainingenrolment_roster")  # fmt: skip
        return [roster, *super().get_urls()]

    @admin.display(description=_("candidat·e"), ordering="application__volunteer__last_name")
    def volunteer(self, enrolment: TrainingEnrolment) -> str:
        return str(enrolment.application.volunteer)

    @admin.display(description=_("mission"))
    def mission(self, enrolment: TrainingEnrolment) -> str:
        return enrolment.application.mission.reference

    def save_model(
        self, request: HttpRequest, obj: TrainingEnrolment, form: Any, change: bool
    ) -> None:
        """Attendance (the list's column or the page), recorded with who noted it."""
        training.training_attendance_record(
            enrolment=obj, attended=obj.attended, acting_user=staff_user(request)
        )


def roster_view(
    model_admin: admin.ModelAdmin[TrainingEnrolment], request: HttpRequest, session_id: int
) -> StreamingHttpResponse:
    """The session's roster as CSV: names, e-mail, phone, mission, attended."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    session = get_object_or_404(TrainingSession.objects.select_related("mission"), pk=session_id)
    response = StreamingHttpResponse(
        csv_stream(training.roster_rows(session)), content_type="text/csv; charset=utf-8"
    )
    name = slugify(f"formation-{session.mission.reference}-{session.starts_on}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


class EnrolForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("session de formation"), queryset=TrainingSession.objects.none()
    )

    def __init__(self, *args: Any, sessions: QuerySet[TrainingSession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


@admin.action(description=_("Inscrire en formation…"), permissions=["enrol_training"])
def enrol_training(
    modeladmin: ApplicationModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponse | None:
    """Choose a session of the selection's mission, then enrol the selected volunteers."""
    selected = list(queryset.select_related("volunteer", "mission").order_by("pk"))
    missions = {application.mission_id for application in selected}
    if len(missions) != 1:
        modeladmin.message_user(request, _("Choisissez des candidatures d'une seule mission : "
                                           "une session est celle d'une mission."),
                                messages.ERROR)  # fmt: skip
        return None
    sessions = TrainingSession.objects.filter(mission__in=missions).order_by("starts_on")
    form = EnrolForm(request.POST if "confirm" in request.POST else None, sessions=sessions)
    if form.is_valid():
        outcome = training.training_enrol(
            applications=selected, session=form.cleaned_data["session"],
            acting_user=staff_user(request),
        )  # fmt: skip
        report(modeladmin, request, outcome, ngettext_done=enrolled_message)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Inscrire en formation au départ"),
        "opts": modeladmin.model._meta,
        "form": form,
        "applications": selected,
        "not_selected": [a for a in selected if a.stage != Stage.SELECTED],
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return render(request, "admin/applications/enrol_training.html", context)


@admin.action(description=_("Marquer parti·e"), permissions=["mark_departed"])
def mark_departed(
    modeladmin: ApplicationModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> None:
    """Only volunteers who attended their pre-departure training leave."""
    outcome = training.applications_mark_departed(
        applications=queryset, now=timezone.now(), acting_user=staff_user(request)
    )
    report(modeladmin, request, outcome, ngettext_done=departed_message)


def enrolled_message(count: int) -> str:
    return ngettext(
        "%(count)d volontaire inscrit·e.", "%(count)d volontaires inscrit·es.", count
    ) % {"count": count}


def departed_message(count: int) -> str:
    return ngettext(
        "%(count)d volontaire marqué·e parti·e.", "%(count)d volontaires marqué·es parti·es.", count
    ) % {"count": count}


def report(
    modeladmin: ApplicationModelAdmin, request: HttpRequest, outcome: training.Outcome,
    *, ngettext_done: Any,
) -> None:  # fmt: skip
    for reference, problem in outcome.refused:
        modeladmin.message_user(request, f"{reference} : {problem}", messages.ERROR)
    if outcome.done or not outcome.refused:
        modeladmin.message_user(request, ngettext_done(len(outcome.done)), messages.SUCCESS)


class TrainingFilter(admin.SimpleListFilter):
    """Where selected volunteers stand with their training and departure."""

    title = _("formation au départ")
    parameter_name = "training"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("not_enrolled", _("Retenue, pas inscrite")),
            ("not_attended", _("Pas encore suivie")),
            ("attended", _("Suivie, pas encore parti·e")),
            ("departed", _("Parti·e")),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> QuerySet[Application]:
        selected = queryset.filter(stage=Stage.SELECTED)
        if self.value() == "not_enrolled":
            return selected.filter(training_enrolment__isnull=True)
        if self.value() == "not_attended":
            # Enrolled and not (yet) marked present: unknown or absent.
            return selected.filter(training_enrolment__isnull=False).exclude(
                training_enrolment__attended=True
            )
        if self.value() == "attended":
            return selected.filter(training_enrolment__attended=True, departed_at__isnull=True)
        if self.value() == "departed":
            return queryset.filter(departed_at__isnull=False)
        return queryset
