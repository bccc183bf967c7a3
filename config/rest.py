"""The API's settings (/api/v1/, the ``api`` app): Django REST framework, JSON only, errors as
problem details (RFC 9457), every answer described by the OpenAPI schema at /api/v1/schema/
(drf-spectacular)."""

from typing import Any

from config.env import env

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    # An endpoint says who may call it; one that forgets refuses everyone.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_response",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.ClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # Public endpoints, per client address (answers already kept do not count).
        "public": env.str("API_PUBLIC_RATE", default="120/min"),
        # Endpoints with a key (api.authentication), per key.
        "key": env.str("API_KEY_RATE", default="600/min"),
    },
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Volontiers API",
    "DESCRIPTION": "Missions, programmes and countries, public; docs/api.md tells the rest.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI's files from the drf-spectacular-sidecar package, served by WhiteNoise.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Three fields called "stage" with different choices: each set named in the schema.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "applications.models.Stage",
        "SentStageEnum": "api.applications.SENT_STAGES",
        "StaffStageEnum": "api.applications.STAFF_STAGE_CHOICES",
    },
}
