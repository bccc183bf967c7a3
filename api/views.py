"""The public, read-only API: published missions (with the catalogue's filters), programmes,
and the countries with missions. Answers are kept and validated by ``api.caching``."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.caching import conditional
from api.pagination import NewestFirstCursor
from api.problems import speak_readers_language
from api.serializers import (
    CountrySerializer,
    MissionSerializer,
    MissionSummarySerializer,
    ProgrammeSerializer,
    country,
)
from missions.forms import MissionFilterForm
from missions.models import Mission, Programme
from missions.selectors import missions_for_catalogue


def refuse_unknown(request: Request, known: Iterable[str]) -> None:
    """400 for a query parameter the endpoint does not know (a typo would filter nothing)."""
    unknown = sorted(set(request.query_params) - set(known))
    if unknown:
        message = _("Paramètre inconnu.")
        raise ValidationError({name: [message] for name in unknown})


class ApiView(generics.GenericAPIView[Any]):
    """Every endpoint of the API: its messages in the client's language."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        speak_readers_language(request._request)
        super().initial(request, *args, **kwargs)


class PublicView(ApiView):
    """Anyone may read, without a key; each client address within its allowance."""

    authentication_classes = ()
    permission_classes = ()
    throttle_scope = "public"

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}


FILTERS = [
    OpenApiParameter("q", str, description="Words of the title or the posting, all of them."),
    OpenApiParameter(
        "country", str, pattern="^[A-Z]{2}$", description="ISO 3166 code of a host country."
    ),
    OpenApiParameter("programme", str, description="A programme's slug (/api/v1/programmes/)."),
    OpenApiParameter("framework", str, enum=Mission.VolunteerStatus.values),
    OpenApiParameter("open_only", OpenApiTypes.BOOL, description="Open missions only."),
]


@extend_schema(parameters=FILTERS)
class MissionList(PublicView, generics.ListAPIView[Mission]):
    """Published and closed missions, newest first, with the catalogue's filters."""

    serializer_class = MissionSummarySerializer
    pagination_class = NewestFirstCursor

    def get_queryset(self) -> QuerySet[Mission]:
        paginator = NewestFirstCursor
        refuse_unknown(
            self.request,
            ["q", "country", "programme", "framework", "open_only",
             paginator.cursor_query_param, paginator.page_size_query_param],
        )  # fmt: skip
        if self.request.query_params.get("open_only", "true") not in ("true", "false"):
            raise ValidationError({"open_only": [_("« true » ou « false ».")]})
        form = MissionFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        missions = missions_for_catalogue(filters=form.cleaned_data, now=timezone.now())
        return missions.prefetch_related("programmes")


class MissionDetail(PublicView, generics.RetrieveAPIView[Mission]):
    """One published or closed mission, every public field."""

    serializer_class = MissionSerializer
    lookup_field = "reference"

    def get_queryset(self) -> QuerySet[Mission]:
        refuse_unknown(self.request, ())
        return Mission.objects.public().prefetch_related("programmes", "partners")


class ProgrammeList(PublicView, generics.ListAPIView[Programme]):
    """Every programme, by name."""

    serializer_class = ProgrammeSerializer
    pagination_class = None
    queryset = Programme.objects.all()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        refuse_unknown(request, ())
        return super().list(request, *args, **kwargs)


class CountryList(PublicView):
    """The host countries of published or closed missions, by code."""

    serializer_class = CountrySerializer
    pagination_class = None

    @extend_schema(responses=CountrySerializer(many=True))
    def get(self, request: Request) -> Response:
        refuse_unknown(request, ())
        now = timezone.now()
        open_missions = Q(status=Mission.Status.PUBLISHED, deadline_at__gt=now)
        rows = (
            Mission.objects.public()
            .order_by("host_country")
            .values("host_country")
            .annotate(
                missions=Count("pk"),
                open_missions=Count("pk", filter=open_missions),
            )
        )
        data = [
            {**country(row["host_country"]), "missions": row["missions"],
             "open_missions": row["open_missions"]}
            for row in rows
        ]  # fmt: skip
        return Response(data)


mission_list = conditional(MissionList.as_view())
mission_detail = conditional(MissionDetail.as_view())
programme_list = conditional(ProgrammeList.as_view())
country_list = conditional(CountryList.as_view())
