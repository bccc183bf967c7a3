"""The dashboard's page, for staff in the admin (``dashboard/admin.py``) and for coordinators,
their missions only, under ``/coordination/tableau-de-bord/``; ``?csv=<chart>`` gives the
data table behind a chart."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.exports import csv_stream
from dashboard.charts import Chart, dashboard_charts
from dashboard.figures import dashboard_figures
from dashboard.forms import DashboardForm
from missions.models import Mission
from missions.tallies import local_day
from volunteers.models import User


def dashboard_context(
    request: HttpRequest, *, missions: QuerySet[Mission] | None, staff: bool, scope_key: str
) -> dict[str, Any] | HttpResponseBase:
    """The page's context, or the CSV of one of its charts when asked for."""
    form = DashboardForm(
        request.GET or None,
        missions=Mission.objects.all() if missions is None else missions,
        today=local_day(timezone.now()),
    )
    filters = form.filters()
    figures = dashboard_figures(missions, filters, staff=staff, scope_key=scope_key)
    charts = dashboard_charts(figures, waiting_link if staff else shortlist_link)
    wanted = request.GET.get("csv")
    if wanted is not None:
        if wanted not in charts:
            raise Http404
        return chart_csv(charts[wanted], filters.start.isoformat(), filters.end.isoformat())
    query = request.GET.copy()
    query.pop("csv", None)
    oldest = (figures["outbox"] or {}).get("oldest_pending")
    return {
        "oldest_pending": dt.datetime.fromisoformat(oldest) if oldest else None,
        "form": form,
        "filters": filters,
        "figures": figures,
        "charts": charts,
        "query": query.urlencode(),
        "staff": staff,
    }


def waiting_link(row: dict[str, Any]) -> str:
    return reverse("admin:applications_application_change", args=[row["pk"]])


def shortlist_link(row: dict[str, Any]) -> str:
    return reverse("coordination:mission", args=[row["mission__reference"]])


def chart_csv(chart: Chart, start: str, end: str) -> StreamingHttpResponse:
    rows = [chart.headers, *chart.rows]
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    filename = f"tableau-de-bord-{chart.name}-{start}-{end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def coordinator_dashboard(request: HttpRequest) -> HttpResponseBase:
    """A coordinator's dashboard: the missions they coordinate, the shortlist's applications."""
    user = cast(User, request.user)  # signed in (login_required)
    if user.has_perm("dashboard.view_dashboard"):
        return redirect("admin:dashboard_dashboard_changelist")
    missions = Mission.objects.filter(coordinators=user)
    if not missions.exists():
        raise PermissionDenied
    context = dashboard_context(
        request, missions=missions, staff=False, scope_key=f"coordinator:{user.pk}"
    )
    if isinstance(context, HttpResponseBase):
        return context
    return render(request, "dashboard/coordinator.html", context)
