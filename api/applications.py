"""Applications, for a key with the scope: the list (filters, by a cursor), one application
with its answers and documents, a document itself, and stage moves through the admin's own
service and rules (``review.services``), recorded with the key's name in the history."""

from typing import Any, ClassVar, cast

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.authentication import ApiKeyAuthentication, HasScope, KeyThrottle
from api.keys import missions_of
from api.models import ApiKey, Scope
from api.pagination import NewestFirstCursor
from api.serializers import TEXT_SCHEMA
from api.views import ApiView, refuse_unknown
from applications.models import (
    STAFF_STAGES,
    Answer,
    Application,
    ApplicationDocument,
    RefusalReason,
    Stage,
)
from applications.services import ApplicationError
from core.downloads import private_download
from review.services import applications_move_stage


def absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


class CandidateSerializer(serializers.Serializer[Any]):
    """Who applied, and how to reach them (never their date of birth)."""

    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField(source="user.email")
    phone = serializers.CharField()
    residence = serializers.SerializerMethodField()
    nationalities = serializers.SerializerMethodField()

    def get_residence(self, volunteer: Any) -> str:
        return str(volunteer.residence.code or "")

    def get_nationalities(self, volunteer: Any) -> list[str]:
        return [country.code for country in volunteer.nationalities]


class ApplicationSerializer(serializers.ModelSerializer[Application]):
    mission = serializers.CharField(source="mission.reference")
    candidate = CandidateSerializer(source="volunteer")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = (
            "reference", "url", "mission", "stage", "submitted_at", "stage_since",
            "updated_at", "candidate",
        )  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, application: Application) -> str:
        path = reverse("api:application", args=[application.reference])
        return absolute(self.context.get("request"), path)


class AnswerSerializer(serializers.ModelSerializer[Answer]):
    question = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ("question", "answer")

    @extend_schema_field(TEXT_SCHEMA)
    def get_question(self, answer: Answer) -> dict[str, str]:
        return {"fr": answer.label_fr, "en": answer.label_en}

    @extend_schema_field(TEXT_SCHEMA)
    def get_answer(self, answer: Answer) -> dict[str, str]:
        return {"fr": answer.text_fr, "en": answer.text_en}


class DocumentSerializer(serializers.ModelSerializer[ApplicationDocument]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = ("kind", "original_name", "file_type", "size", "uploaded_at", "url")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document: ApplicationDocument) -> str:
        """The file, for this key (or another with the scope) only."""
        args = [document.application.reference, document.public_id]
        return absolute(self.context.get("request"), reverse("api:document", args=args))


class ApplicationDetailSerializer(ApplicationSerializer):
    answers = AnswerSerializer(many=True)
    documents = DocumentSerializer(many=True)

    class Meta(ApplicationSerializer.Meta):
        fields = (  # type: ignore[assignment]
            *ApplicationSerializer.Meta.fields,
            "motivation",
            "answers",
            "documents",
        )


# The stages of a sent application (the list's filter), and those staff move one to.
SENT_STAGES = [stage for stage in Stage.values if stage != Stage.DRAFT]
STAFF_STAGE_CHOICES = [str(stage) for stage in STAFF_STAGES]


class ApplicationFilters(serializers.Serializer[Any]):
    mission = serializers.CharField(required=False, max_length=20)
    stage = serializers.ChoiceField(choices=SENT_STAGES, required=False)
    submitted_after = serializers.DateTimeField(required=False)


class StrictSerializer(serializers.Serializer[Any]):
    """A request body: a field it does not know is refused by name, not ignored."""

    def to_internal_value(self, data: Any) -> Any:
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        if unknown:
            raise exceptions.ValidationError({name: [_("Champ inconnu.")] for name in unknown})
        return super().to_internal_value(data)


class StageMoveSerializer(StrictSerializer):
    stage = serializers.ChoiceField(choices=STAFF_STAGE_CHOICES)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    refusal_reason = serializers.PrimaryKeyRelatedField(
        queryset=RefusalReason.objects.filter(active=True), required=False, allow_null=True
    )


class KeyView(ApiView):
    """Only with a key holding the scope of the method, and only its missions' applications."""

    authentication_classes = (ApiKeyAuthentication,)
    permission_classes = (HasScope,)
    throttle_classes = (KeyThrottle,)
    required_scopes: ClassVar[dict[str, str]] = {
        "GET": Scope.APPLICATIONS_READ,
        "HEAD": Scope.APPLICATIONS_READ,
    }
    lookup_field = "reference"

    def key(self) -> ApiKey:
        return cast(ApiKey, self.request.auth)  # HasScope let the request in: a key

    def get_queryset(self) -> QuerySet[Application]:
        applications = Application.objects.submitted().select_related("mission", "volunteer__user")
        limited_to = missions_of(self.key())
        if limited_to is not None:
            applications = applications.filter(mission__in=limited_to)
        return applications


@extend_schema(parameters=[ApplicationFilters])
class ApplicationList(KeyView, generics.ListAPIView[Application]):
    """Sent applications (never drafts), newest first."""

    serializer_class = ApplicationSerializer
    pagination_class = NewestFirstCursor

    def get_queryset(self) -> QuerySet[Application]:
        refuse_unknown(
            self.request,
            ["mission", "stage", "submitted_after", NewestFirstCursor.cursor_query_param,
             NewestFirstCursor.page_size_query_param],
        )  # fmt: skip
        filters = ApplicationFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        applications = super().get_queryset()
        if "mission" in filters.validated_data:
            applications = applications.filter(mission__reference=filters.validated_data["mission"])
        if "stage" in filters.validated_data:
            applications = applications.filter(stage=filters.validated_data["stage"])
        if "submitted_after" in filters.validated_data:
            applications = applications.filter(
                submitted_at__gt=filters.validated_data["submitted_after"]
            )
        return applications


class ApplicationDetail(KeyView, generics.RetrieveAPIView[Application]):
    """One application: the candidate, the motivation, the answers, links to the documents."""

    serializer_class = ApplicationDetailSerializer

    def get_queryset(self) -> QuerySet[Application]:
        refuse_unknown(self.request, ())
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("answers", Answer.objects.order_by("position", "pk")),
                Prefetch("documents", ApplicationDocument.objects.select_related("application")),
            )
        )


class DocumentDownload(KeyView):
    """A document of an application the key may read, as a download."""

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    def get(self, request: Request, reference: str, public_id: str) -> HttpResponse | FileResponse:
        refuse_unknown(request, ())
        if not request.user.has_perm("applications.view_applicationdocument"):
            raise exceptions.PermissionDenied(
                _("La personne qui a créé cette clé ne peut pas lire les documents.")
            )
        application = get_object_or_404(self.get_queryset(), reference=reference)
        document = get_object_or_404(application.documents, public_id=public_id)
        return private_download(document.file, document.original_name)


class StageMove(KeyView):
    """Move an application to a stage, as staff would in the admin: the same rules, the
    same e-mail to the candidate, and the key's name in the history."""

    required_scopes: ClassVar[dict[str, str]] = {"POST": Scope.APPLICATIONS_STAGE}
    serializer_class = StageMoveSerializer

    @extend_schema(request=StageMoveSerializer, responses=ApplicationSerializer)
    def post(self, request: Request, reference: str) -> Response:
        refuse_unknown(request, ())
        application = get_object_or_404(self.get_queryset(), reference=reference)
        move = StageMoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        key = self.key()
        try:
            result = applications_move_stage(
                application_ids=[application.pk],
                to_stage=move.validated_data["stage"],
                acting_user=key.created_by,
                comment=move.validated_data.get("comment", ""),
                reason=move.validated_data.get("refusal_reason"),
                via=f"{key.name} ({key.prefix})"[:80],
            )
        except ApplicationError as error:
            raise exceptions.ValidationError({"refusal_reason": [str(error)]}) from None
        if result.refused:
            raise Conflict(result.refused[0][1])
        application.refresh_from_db()
        return Response(ApplicationSerializer(application, context={"request": request}).data)


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
