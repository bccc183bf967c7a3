"""Coordination pages: a coordinator's missions, a shortlist, its exports and export jobs."""

import itertools
from collections.abc import Iterator
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation

from applications.models import SHORTLIST_STAGES, ApplicationQuerySet, ExportLog
from coordination import exports, services
from coordination.forms import ShortlistFilterForm
from coordination.selectors import coordinated_missions, shortlist
from core.downloads import private_download
from core.exports import csv_stream
from missions.models import Mission
from volunteers.models import User

T = TypeVar("T")
# Rows of a streamed export written under one switch of language (``in_language``).
IN_LANGUAGE_CHUNK = 1000


def signed_in(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
def coordination_home(request: HttpRequest) -> HttpResponse:
    """The coordinator's missions, with counts per shortlist stage and the deadline."""
    counts = {
        stage.value: Count("applications", filter=Q(applications__stage=stage))
        for stage in SHORTLIST_STAGES
    }
    missions = coordinated_missions(signed_in(request)).annotate(**counts).order_by("-deadline_at")
    stages = [(stage.value, stage.label) for stage in SHORTLIST_STAGES]
    return render(request, "coordination/home.html", {"missions": missions, "stages": stages})


@login_required
def coordination_mission(request: HttpRequest, reference: str) -> HttpResponse:
    """The shortlisted candidates of one mission, a stage filter and the export buttons."""
    mission = get_object_or_404(coordinated_missions(signed_in(request)), reference=reference)
    form = ShortlistFilterForm(request.GET or None)
    applications = (
        shortlist(mission, form.stages())
        .with_average_score()
        .prefetch_related("documents")
        .order_by("reference")
    )
    context: dict[str, Any] = {
        "mission": mission,
        "form": form,
        "applications": applications,
        "formats": ExportLog.Format.choices,
        "dossier_sync_max": settings.DOSSIER_SYNC_MAX,
    }
    return render(request, "coordination/mission.html", context)


@login_required
def coordination_export(
    request: HttpRequest, reference: str, export_format: str
) -> HttpResponseBase:
    """The shortlist as CSV, CSV with semicolons, XLSX, ZIP (documents and XLSX) or dossier PDF."""
    mission = get_object_or_404(coordinated_missions(signed_in(request)), reference=reference)
    if export_format not in ExportLog.Format.values:
        return HttpResponse(status=404)
    form = ShortlistFilterForm(request.GET or None)
    stages, language = form.stages(), form.export_language()
    applications = shortlist(mission, stages)
    rows = applications.count()
    if services.export_is_big(export_format, rows):
        # Too long for one request: a Celery task builds it; the page says when it is ready.
        job = services.export_job_start(
            user=signed_in(request), mission=mission, export_format=export_format, stages=stages,
            language=language,
        )  # fmt: skip
        return redirect(job)
    with translation.override(language):
        return export_response(
            request, applications, export_format=export_format, mission=mission, rows=rows
        )


@login_required
def coordination_job(request: HttpRequest, public_id: str) -> HttpResponse:
    """A big export being built: refreshes itself until the download link is there."""
    job = get_object_or_404(ExportLog, public_id=public_id, user=signed_in(request))
    return render(request, "coordination/job.html", {"job": job})


@login_required
def coordination_job_download(request: HttpRequest, public_id: str) -> HttpResponse | FileResponse:
    job = get_object_or_404(
        ExportLog, public_id=public_id, user=signed_in(request), state=ExportLog.State.READY
    )
    name = exports.export_filename(
        mission_reference=job.mission.reference if job.mission else None,
        extension=services.export_extension(job.format),
        today=timezone.localdate(job.created_at),
    )
    return private_download(job.file, name)


def in_language(rows: Iterator[T]) -> Iterator[T]:
    """The rows of a streamed export written in the language active now: the response is
    written after the view has returned, out of its ``translation.override``."""
    language = translation.get_language()  # now, not when the first row is asked for

    def rows_in_language() -> Iterator[T]:
        iterator = iter(rows)
        while True:
            # Around the work of the rows, a chunk at a time: switching the language costs
            # more than writing a row (it halved the CSV's speed, switched for each row).
            with translation.override(language):
                chunk = list(itertools.islice(iterator, IN_LANGUAGE_CHUNK))
            if not chunk:
                return
            yield from chunk

    return rows_in_language()


def export_response(
    request: HttpRequest,
    applications: ApplicationQuerySet,
    *,
    export_format: str,
    mission: Mission | None,
    rows: int | None = None,
) -> HttpResponseBase:
    """Log the export, then stream the CSV or send the XLSX/ZIP from a temporary file; with
    ``mission`` (the one mission exported), the rows end with the answers to its questions.

    ``rows`` is the count when the caller has it already (one COUNT fewer per export).
    """
    services.export_log(
        user=signed_in(request),
        mission=mission,
        export_format=export_format,
        rows=applications.count() if rows is None else rows,
    )
    reference = mission.reference if mission else None
    today = timezone.localdate()
    if export_format in (ExportLog.Format.CSV, ExportLog.Format.CSV_SEMICOLON):
        delimiter = ";" if export_format == ExportLog.Format.CSV_SEMICOLON else ","
        response = StreamingHttpResponse(
            csv_stream(
                in_language(exports.shortlist_rows(applications, mission=mission)),
                delimiter=delimiter,
            ),
            content_type="text/csv; charset=utf-8",
        )
        name = exports.export_filename(mission_reference=reference, extension="csv", today=today)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        extension = services.export_extension(export_format)
        name = exports.export_filename(
            mission_reference=reference, extension=extension, today=today
        )
        built = services.export_build(
            applications=applications,
            export_format=export_format,
            mission=mission,
            user=signed_in(request),
            now=timezone.now(),
        )
        response = FileResponse(built, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
