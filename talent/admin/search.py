"""The search page: the search profile's changelist is the search itself, permission-checked
(``talent.search_pool``); inviting from its results needs ``talent.add_invitation``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_pages import PageAdmin
from talent.forms import LANGUAGE_FILTERS, InviteForm, SearchForm
from talent.invitations import InvitationError, Invited, invitations_send
from talent.models import Invitation, SearchProfile
from talent.search import Criteria, search_page

PER_PAGE = 25


@admin.register(SearchProfile)
class SearchAdmin(PageAdmin[SearchProfile]):
    # The search page only: a profile's own page would show its whole text, whoever it is.
    page_permission = "talent.search_pool"

    def get_urls(self) -> list[URLPattern]:
        invite = self.admin_site.admin_view(self.invite_view)
        search = self.admin_site.admin_view(self.changelist_view)
        return [
            path("invite/", invite, name="talent_searchprofile_invite"),
            path("", search, name="talent_searchprofile_changelist"),
        ]  # no page per profile: its change, history and delete pages are not served

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        form = SearchForm(request.GET or None, now=now)
        criteria = form.criteria() if form.is_valid() else Criteria()
        target = form.cleaned_data.get("target") if form.is_bound and form.is_valid() else None
        page, results = search_page(
            criteria=criteria, page=request.GET.get("p"), per_page=PER_PAGE, now=now, target=target
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recherche dans le vivier"),
            "opts": self.opts,
            "form": form,
            "language_rows": [
                (form[f"language{n}"], form[f"level{n}"]) for n in range(1, LANGUAGE_FILTERS + 1)
            ],
            "page": page,
            "results": results,
            "target": target,
            "can_invite": target is not None and request.user.has_perm("talent.add_invitation"),
            "query": request.GET.copy(),
        }
        return render(request, "admin/talent/search.html", context)

    def invite_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.user.has_perm("talent.add_invitation"):
            raise PermissionDenied
        now = timezone.now()
        form = InviteForm(request.POST, now=now)
        back = request.POST.get("back", "")
        if not back.startswith("?"):
            back = ""
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(map(str, errors)), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:talent_searchprofile_changelist") + back)
        try:
            invited = invitations_send(
                volunteer_ids=form.cleaned_data["volunteers"],
                mission=form.cleaned_data["mission"],
                by=request.user,  # type: ignore[arg-type]
                now=now,
            )
        except InvitationError:
            self.message_user(request, _("Cette mission n'est plus ouverte."), messages.ERROR)
        else:
            self.message_user(request, invited_message(invited), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:talent_searchprofile_changelist") + back)


def invited_message(invited: Invited) -> str:
    parts = [_("%(count)d invitation(s) envoyée(s).") % {"count": invited.sent}]
    if invited.already:
        parts.append(
            _("%(count)d déjà invité(s) à cette mission : pas de seconde invitation.")
            % {"count": invited.already}
        )
    if invited.not_members:
        parts.append(
            _("%(count)d hors du vivier : non invité(s).") % {"count": invited.not_members}
        )
    return " ".join(parts)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("volunteer", "mission", "by", "at")
    list_select_related = ("volunteer", "mission", "by")
    list_filter = ("mission",)
    date_hierarchy = "at"
    search_fields = ("volunteer__last_name", "volunteer__first_name", "mission__reference")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sent from the search only

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
