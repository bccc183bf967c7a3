"""The ceiling's pages: each the plainest Django way of doing the same work as ours."""

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from openpyxl import Workbook

from .models import Application, Mission, Submission

EXPORT_COLUMNS = [
    "id",
    "full_name",
    "email",
    "status",
    "created_at",
    "mission__title",
    "mission__organisation__name",
]


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world")


def mission_list(request: HttpRequest) -> HttpResponse:
    missions = Mission.objects.filter(published=True).select_related("organisation")
    page = Paginator(missions, 20).get_page(request.GET.get("page"))
    return render(request, "board/mission_list.html", {"page": page})


def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    missions = Mission.objects.select_related("organisation")
    mission = get_object_or_404(missions, pk=pk, published=True)
    return render(request, "board/mission_detail.html", {"mission": mission})


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ("full_name", "email", "cover_letter", "cv")


@login_required
def mission_apply(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Saves one row and two files, then redirects; Django's defaults for the uploads."""
    mission = get_object_or_404(Mission, pk=pk, published=True)
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        form.instance.mission, form.instance.user = mission, request.user
        form.save()
        return redirect("mission-detail", pk=mission.pk)
    return render(request, "board/mission_apply.html", {"mission": mission, "form": form})


def export_rows() -> Iterator[tuple[Any, ...]]:
    rows = Application.objects.order_by("id").values_list(*EXPORT_COLUMNS)
    return rows.iterator(chunk_size=2000)


class Echo:
    """A file that hands back what is written to it, for csv.writer in a streamed response."""

    def write(self, value: str) -> str:
        return value


def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Streamed a line at a time (the pattern of Django's documentation): flat memory."""
    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(EXPORT_COLUMNS)
        for row in export_rows():
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="applications.csv"'
    return response


def export_xlsx(request: HttpRequest) -> FileResponse:
    """openpyxl's write-only workbook, saved to a temporary file and sent from there."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("applications")
    sheet.append(EXPORT_COLUMNS)
    for row in export_rows():
        cells = list(row)
        cells[4] = cells[4].replace(tzinfo=None)  # Excel has no time zones
        sheet.append(cells)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename="applications.xlsx")
