"""Interview bookings in the admin, and the page where the interviewer records the outcome:
attended or not, then their opinion and scores, which join the application's reviews."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from applications.models import Review
from review import interviews, services
from review.admin.staff import staff_user
from review.forms import OutcomeForm
from review.models import InterviewBooking


@admin.register(InterviewBooking)
class InterviewBookingAdmin(admin.ModelAdmin[InterviewBooking]):
    list_display = ("application", "slot", "state", "attended", "outcome_link")
    list_filter = ("state", "attended")
    list_select_related = ("application", "slot__mission")
    search_fields = ("application__reference", "application__volunteer__last_name")
    readonly_fields = ("application", "slot", "state", "sequence", "booked_at", "reminded_at",
                       "attended", "outcome_by", "outcome_link")  # fmt: skip
    fields = readonly_fields

    def get_urls(self) -> list[URLPattern]:
        def view(request: HttpRequest, object_id: int) -> HttpResponse:
            return outcome_view(self, request, object_id)

        outcome = self.admin_site.admin_view(view)
        name = "review_interviewbooking_outcome"
        return [path("<int:object_id>/outcome/", outcome, name=name), *super().get_urls()]

    @admin.display(description=_("compte rendu"))
    def outcome_link(self, booking: InterviewBooking) -> SafeString:
        url = reverse("admin:review_interviewbooking_outcome", args=[booking.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Noter l'entretien"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates book; staff do not invent bookings

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cancelled, and kept for the calendar and the history


def outcome_view(
    model_admin: admin.ModelAdmin[InterviewBooking], request: HttpRequest, object_id: int
) -> HttpResponse:
    """Attended or not and, for a candidate who came, the interviewer's review."""
    if not request.user.has_perm("applications.add_review"):
        raise PermissionDenied
    queryset = InterviewBooking.objects.select_related(
        "slot", "application__mission", "application__volunteer"
    )
    booking = get_object_or_404(queryset, pk=object_id)
    application = booking.application
    came = request.POST.get("attended") != "no"
    criteria = services.mission_criteria(application.mission) if came else {}
    mine = Review.objects.filter(application=application, reviewer=staff_user(request)).first()
    attended = {True: "yes", False: "no", None: None}[booking.attended]
    initial = {**OutcomeForm.initial_of(mine), "attended": attended}
    form = OutcomeForm(request.POST or None, initial=initial, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            interviews.interview_outcome_record(
                booking=booking, attended=form.cleaned_data["attended"], by=staff_user(request),
                now=timezone.now(), scores=form.scores() if came else None,
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except interviews.BookingError as error:
            form.add_error(None, error.message)
        else:
            model_admin.message_user(request, _("Compte rendu enregistré."), messages.SUCCESS)
            url = reverse("admin:applications_application_change", args=[application.pk])
            return HttpResponseRedirect(url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Entretien de %(reference)s") % {"reference": application.reference},
        "opts": model_admin.model._meta,
        "original": booking,
        "form": form,
    }
    return render(request, "admin/review/interview_outcome.html", context)
