"""The API's errors as problem details (RFC 9457): ``application/problem+json`` with ``type``,
``title``, ``status`` and ``detail``, plus ``code`` (a stable word a program can test) and,
for a bad query or body, ``errors`` by field. Every error of ``/api/`` has this shape: those
Django REST framework raises (``problem_response``), an unknown address (``not_found``), and
and a database that went away (503).

``type`` is ``about:blank`` (RFC 9457, 4.2.1): the status and ``code`` say what happened, and
``title`` is the status's phrase. ``detail`` and ``errors`` are in the client's language
(``speak_readers_language``).
"""

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.unavailable import RETRY_AFTER_SECONDS, caused_by_database, close_broken_connections

CONTENT_TYPE = "application/problem+json"


def problem(status: int, detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


def field_errors(data: Any) -> dict[str, list[str]]:
    """A validation error's messages by field (``non_field_errors`` for the others)."""
    if isinstance(data, dict):
        return {str(name): [str(m) for m in flat(messages)] for name, messages in data.items()}
    return {"non_field_errors": [str(m) for m in flat(data)]}


def flat(messages: Any) -> list[Any]:
    if isinstance(messages, list | tuple):
        return [m for item in messages for m in flat(item)]
    if isinstance(messages, dict):
        return [m for item in messages.values() for m in flat(item)]
    return [messages]


def problem_response(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST framework's EXCEPTION_HANDLER: its answer (status, headers such as
    ``Retry-After`` and ``WWW-Authenticate``), with a problem details body."""
    if caused_by_database(exc):
        close_broken_connections()
        detail = _("Service momentanément indisponible : réessayez dans une minute.")
        response = Response(problem(503, detail, "unavailable"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.content_type = CONTENT_TYPE
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # its own message is Django's, in English
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    handled = exception_handler(exc, context)
    if handled is None:
        return None  # a bug: Django's 500
    response = handled
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            response.status_code,
            _("La requête contient des valeurs refusées : voir « errors »."),
            "invalid",
            errors=field_errors(exc.detail),
        )
    else:
        detail, code = "", "error"
        if isinstance(exc, exceptions.APIException):
            detail, code = str(exc.detail), str(exc.get_codes())
        body = problem(response.status_code, detail, code)
    response.data = body
    response.content_type = CONTENT_TYPE
    return response


def json_problem(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse(
        problem(status, detail, code),
        status=status,
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def speak_readers_language(request: HttpRequest) -> None:
    """Write the API's messages in the language the client asks for (``Accept-Language``,
    or the site's language cookie), French otherwise: the site's addresses without a
    language prefix are French (``LocaleMiddleware``), an API client has no prefix to add."""
    translation.activate(translation.get_language_from_request(request))


@csrf_exempt  # any method: an API client has no CSRF token, and nothing is changed here
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """An address under ``/api/`` that names nothing."""
    speak_readers_language(request)
    return json_problem(404, _("Cette adresse de l'API n'existe pas."), "not_found")
