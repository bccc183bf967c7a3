from pathlib import Path
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from volunteers.forms import ProfileForm, language_formset
from volunteers.models import Volunteer
from volunteers.services import volunteer_profile_save


def own_profile(request: HttpRequest) -> Volunteer | None:
    user_id = cast(int, request.user.pk)  # the views below require a signed-in user
    return Volunteer.objects.filter(user_id=user_id).prefetch_related("languages").first()


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The candidate's space: profile, what is missing, applications."""
    return render(request, "volunteers/me.html", {"volunteer": own_profile(request)})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Create or update the profile; on an error everything typed comes back with the message."""
    volunteer = own_profile(request) or Volunteer(user_id=cast(int, request.user.pk))
    form = ProfileForm(request.POST or None, request.FILES or None, instance=volunteer)
    languages = language_formset(request.POST or None, volunteer)
    if request.method == "POST" and form.is_valid() and languages.is_valid():
        volunteer_profile_save(form=form, languages=languages)
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("volunteers:me")
    context = {"form": form, "languages": languages, "volunteer": volunteer}
    return render(request, "volunteers/profile_form.html", context)


@login_required
def cv_download(request: HttpRequest) -> FileResponse:
    """The candidate's own CV; documents are never under a public URL."""
    volunteer = own_profile(request)
    if volunteer is None or not volunteer.cv:
        raise Http404
    extension = Path(volunteer.cv.name).suffix
    return FileResponse(volunteer.cv.open("rb"), as_attachment=True, filename=f"CV{extension}")
