"""The dashboard in the admin: the proxy model's list is the page itself (no page per row)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from core.admin_pages import PageAdmin
from dashboard.models import Dashboard
from dashboard.views import dashboard_context


@admin.register(Dashboard)
class DashboardAdmin(PageAdmin[Dashboard]):
    page_permission = "dashboard.view_dashboard"

    def get_urls(self) -> list[URLPattern]:
        page = self.admin_site.admin_view(self.changelist_view)
        return [path("", page, name="dashboard_dashboard_changelist")]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = dashboard_context(request, missions=None, staff=True, scope_key="staff")
        if isinstance(context, HttpResponseBase):
            return context  # type: ignore[return-value]  # a CSV: streamed, the admin's own type
        context.update(self.admin_site.each_context(request), title=_("Tableau de bord"))
        return render(request, "admin/dashboard/dashboard.html", context)
