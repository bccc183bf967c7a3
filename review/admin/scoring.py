"""The scoring page: one reviewer's scores for one application (one review each, editable)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Review
from review import services
from review.admin.staff import staff_user
from review.forms import ReviewForm


def score_urls(model_admin: admin.ModelAdmin[Application]) -> list[URLPattern]:
    """The page's URL, ``admin:applications_application_score``, behind the admin's checks."""

    def view(request: HttpRequest, object_id: int) -> HttpResponse:
        return score_view(model_admin, request, object_id)

    score = model_admin.admin_site.admin_view(view)
    return [path("<int:object_id>/score/", score, name="applications_application_score")]


def score_view(
    model_admin: admin.ModelAdmin[Application], request: HttpRequest, object_id: int
) -> HttpResponse:
    """One reviewer's scores for one application (one review each, editable)."""
    if not request.user.has_perm("applications.add_review"):
        raise PermissionDenied
    application = get_object_or_404(
        model_admin.get_queryset(request).select_related("mission"), pk=object_id
    )
    criteria = services.mission_criteria(application.mission)
    mine = Review.objects.filter(application=application, reviewer=staff_user(request)).first()
    form = ReviewForm(request.POST or None, initial=ReviewForm.initial_of(mine), criteria=criteria)
    if request.method == "POST" and form.is_valid():
        services.review_save(
            application=application,
            reviewer=staff_user(request),
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        )
        model_admin.message_user(request, _("Évaluation enregistrée."), messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:applications_application_change", args=[object_id])
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Noter la candidature %(reference)s") % {"reference": application.reference},
        "opts": model_admin.model._meta,
        "original": application,
        "form": form,
    }
    return render(request, "admin/applications/score.html", context)
