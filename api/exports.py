"""Export jobs for a key with the scope: a mission's shortlist as XLSX, ZIP or dossier PDF,
built by the coordinators' own Celery task (``coordination.services.export_job_start``),
logged in the export log under the key's creator, then downloaded once ready."""

from typing import ClassVar

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.applications import Conflict, KeyView, StrictSerializer, absolute
from api.keys import missions_of
from api.models import Scope
from api.views import refuse_unknown
from applications.models import SHORTLIST_STAGES, ExportLog
from coordination import exports, services
from coordination.selectors import coordinated_missions
from core.downloads import private_download

FORMATS = [ExportLog.Format.XLSX, ExportLog.Format.ZIP, ExportLog.Format.DOSSIER]


class ExportRequestSerializer(StrictSerializer):
    mission = serializers.CharField(max_length=20)
    format = serializers.ChoiceField(choices=[str(f) for f in FORMATS])
    stages = serializers.MultipleChoiceField(
        choices=[str(s) for s in SHORTLIST_STAGES], required=False
    )
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], required=False
    )


class ExportJobSerializer(serializers.ModelSerializer[ExportLog]):
    id = serializers.UUIDField(source="public_id")
    mission = serializers.CharField(source="mission.reference")
    url = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    class Meta:
        model = ExportLog
        fields = ("id", "url", "mission", "format", "stages", "language", "rows", "state",
                  "created_at", "file")  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, job: ExportLog) -> str:
        return absolute(self.context.get("request"), reverse("api:export", args=[job.public_id]))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file(self, job: ExportLog) -> str | None:
        """The file's address once ready, else null."""
        if job.state != ExportLog.State.READY:
            return None
        path = reverse("api:export_file", args=[job.public_id])
        return absolute(self.context.get("request"), path)


class ExportView(KeyView):
    required_scopes: ClassVar[dict[str, str]] = {
        "GET": Scope.EXPORTS,
        "HEAD": Scope.EXPORTS,
        "POST": Scope.EXPORTS,
    }

    def jobs(self) -> QuerySet[ExportLog]:
        """This key's creator's export jobs, of the missions the key may see."""
        jobs = ExportLog.objects.filter(user=self.key().created_by, mission__isnull=False)
        limited_to = missions_of(self.key())
        if limited_to is not None:
            jobs = jobs.filter(mission__in=limited_to)
        return jobs.select_related("mission")


class ExportStart(ExportView):
    """Start building a mission's shortlist (its stages, or those chosen) into a file."""

    @extend_schema(request=ExportRequestSerializer, responses={202: ExportJobSerializer})
    def post(self, request: Request) -> Response:
        refuse_unknown(request, ())
        wanted = ExportRequestSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        missions = coordinated_missions(self.key().created_by)
        limited_to = missions_of(self.key())
        if limited_to is not None:
            missions = missions.filter(pk__in=limited_to)
        mission = missions.filter(reference=wanted.validated_data["mission"]).first()
        if mission is None:
            raise exceptions.ValidationError(
                {"mission": [_("Aucune mission que cette clé puisse exporter sous ce nom.")]}
            )
        stages = sorted(wanted.validated_data.get("stages") or SHORTLIST_STAGES)
        job = services.export_job_start(
            user=self.key().created_by,
            mission=mission,
            export_format=wanted.validated_data["format"],
            stages=[str(stage) for stage in stages],
            language=wanted.validated_data.get("language", settings.LANGUAGE_CODE),
        )
        body = ExportJobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class ExportDetail(ExportView):
    """An export job: ``pending`` while it is built, then ``ready`` with its file's address."""

    @extend_schema(responses=ExportJobSerializer)
    def get(self, request: Request, public_id: str) -> Response:
        refuse_unknown(request, ())
        job = get_object_or_404(self.jobs(), public_id=public_id)
        return Response(ExportJobSerializer(job, context={"request": request}).data)


class ExportFile(ExportView):
    """A ready export's file."""

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    def get(self, request: Request, public_id: str) -> HttpResponse | FileResponse:
        refuse_unknown(request, ())
        job = get_object_or_404(self.jobs(), public_id=public_id)
        if job.state != ExportLog.State.READY:
            raise Conflict(
                _("Ce fichier n'est pas prêt (état : %(state)s) : suivez l'adresse de l'export.")
                % {"state": job.state}
            )
        name = exports.export_filename(
            mission_reference=job.mission.reference if job.mission else None,
            extension=services.export_extension(job.format),
            today=timezone.localdate(job.created_at),
        )
        return private_download(job.file, name)
