"""The OpenAPI schema's answers (drf-spectacular): besides each operation's own, the problem
details (``api.problems``) it may answer, so that a client, and schemathesis, know every
status and body the API sends."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from api.problems import CONTENT_TYPE


class ProblemSerializer(serializers.Serializer[Any]):
    """RFC 9457 problem details, as ``api.problems`` writes them."""

    type = serializers.CharField(help_text="about:blank")
    title = serializers.CharField(help_text="The status's phrase: Bad Request, Not Found…")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, in the request's language.")
    code = serializers.CharField(
        help_text="A stable word: invalid, not_found, not_authenticated, permission_denied, "
        "throttled, not_acceptable, conflict, unavailable…"
    )
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For 400: the messages, by query parameter or field.",
    )


# Every operation may answer these; those with a key (``api.authentication``) also 401 and
# 403, and 409 (a stage move the rules refuse, an export's file not ready yet).
COMMON_PROBLEMS = ("400", "404", "406", "429", "503")
KEY_PROBLEMS = ("401", "403", "409")


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = list(COMMON_PROBLEMS)
        if getattr(self.view, "authentication_classes", ()):
            codes += KEY_PROBLEMS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    ProblemSerializer, code, (CONTENT_TYPE,), direction
                )
        if self.method == "GET" and getattr(self.view, "conditional", False):
            responses["304"] = {"description": "Not Modified: the If-None-Match ETag is current."}
        return responses


class ApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the schema tells a client to send its key (``api.authentication``)."""

    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Api-Key <prefix>.<secret>, as staff created it in the admin.",
        }
