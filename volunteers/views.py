from pathlib import Path
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.documents import DocumentNotStored
from core.downloads import private_download
from volunteers import pool
from volunteers.forms import ProfileForm, language_formset
from volunteers.models import Volunteer
from volunteers.services import volunteer_cv_keep, volunteer_profile_save

PENDING_CV = "volunteers.pending_cv"
PENDING_CV_NAME = "volunteers.pending_cv_name"


def next_url(request: HttpRequest) -> str:
    """Where to go after saving the profile: back to the apply form it was asked for, or /me/."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return target
    return reverse("me")


def own_profile(request: HttpRequest) -> Volunteer | None:
    user_id = cast(int, request.user.pk)  # the views below require a signed-in user
    return Volunteer.objects.filter(user_id=user_id).prefetch_related("languages").first()


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Create or update the profile; on an error everything typed comes back with the message."""
    volunteer = own_profile(request) or Volunteer(user_id=cast(int, request.user.pk))
    pending_cv = request.session.get(PENDING_CV) if request.method == "POST" else None
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=volunteer,
        pending_cv=pending_cv,
        pending_cv_name=request.session.get(PENDING_CV_NAME, "") if pending_cv else "",
    )
    languages = language_formset(request.POST or None, volunteer)
    status = 200
    if request.method == "POST":
        try:
            if form.is_valid() and languages.is_valid():
                volunteer_profile_save(form=form, languages=languages)
                request.session.pop(PENDING_CV, None)
                request.session.pop(PENDING_CV_NAME, None)
                messages.success(request, _("Votre profil est enregistré."))
                return redirect(next_url(request))
            upload = form.received_cv()
            if upload is not None:
                form.pending_cv = request.session[PENDING_CV] = volunteer_cv_keep(
                    volunteer=volunteer, upload=upload, replacing=pending_cv
                )
                request.session[PENDING_CV_NAME] = form.cv_name
        except DocumentNotStored as error:
            # Nothing of this POST was saved: the form comes back as typed, with the reason.
            form.add_error("cv", error.message)
            status = 503
    else:
        request.session.pop(PENDING_CV, None)
        request.session.pop(PENDING_CV_NAME, None)
    context = {"form": form, "languages": languages, "volunteer": volunteer}
    return render(request, "volunteers/profile_form.html", context, status=status)


@login_required
def cv_download(request: HttpRequest) -> HttpResponse | FileResponse:
    """The candidate's own CV; documents are never under a public URL."""
    volunteer = own_profile(request)
    if volunteer is None or not volunteer.cv:
        raise Http404
    return private_download(
        volunteer.cv, volunteer.cv_name or f"CV{Path(volunteer.cv.name).suffix}"
    )


@login_required
@require_POST
def pool_update(request: HttpRequest) -> HttpResponse:
    """Join the talent pool (or stay in it from now), or leave it: one button on /me/."""
    volunteer = own_profile(request)
    if volunteer is None:
        messages.error(
            request, _("Remplissez d'abord votre profil : c'est lui que l'équipe consulte.")
        )
        return redirect("volunteers:profile")
    if request.POST.get("action") == "join":
        pool.pool_join(volunteer=volunteer, now=timezone.now())
        messages.success(request, _("Vous êtes dans le vivier de talents."))
    else:
        pool.pool_leave(volunteer=volunteer)
        messages.success(request, _("Vous avez quitté le vivier de talents."))
    return redirect(reverse("me") + "#vivier")


@require_http_methods(["GET", "POST"])
def pool_leave_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link of every pool e-mail: a page with one button, so that a mail scanner opening
    the link leaves nobody out; an altered link gets a page saying so."""
    volunteer = pool.volunteer_from_leave_token(token)
    if volunteer is None or not volunteer.user.is_active:
        response = render(request, "volunteers/pool_leave.html", {"unknown": True}, status=404)
        response["Cache-Control"] = "private, no-store"
        return response
    context = {"member": volunteer.pool_since is not None, "done": False}
    if request.method == "POST":
        pool.pool_leave(volunteer=volunteer)
        context = {"member": False, "done": True}
    response = render(request, "volunteers/pool_leave.html", context)
    # A page of a link with a token: not cached, not indexed, its address never sent on.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
