"""Structured logs: JSON lines carrying the id of the request that wrote them."""

import contextvars
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from gunicorn.glogging import Logger

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# A proxy's id is reused only if it looks like one (no log injection through the header).
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Addresses whose next segment is a secret (a partner's review link, a candidate's interview
# link, an interviewer's calendar feed): never written to a log in full.
TOKEN_PATHS = re.compile(
    r"(/(?:en/)?(?:partenaires|entretien(?:/agenda)?|alertes/(?:confirmer|desabonner|gerer)"
    r"|me/vivier/quitter)/)"
    r"(?!agenda/)[^/\s\"?]+"
)
MASK = "[masqué]"


def masked(text: str) -> str:
    """The text with every token of TOKEN_PATHS replaced by MASK."""
    return TOKEN_PATHS.sub(rf"\1{MASK}", text)


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID, or a new one), in logs and headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")  # request.headers copies them all
        value = incoming if VALID_ID.match(incoming) else secrets.token_hex(16)
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


class RequestIdFilter(logging.Filter):
    """Stamps the request id on each line, and masks the secrets of TOKEN_PATHS (Django
    logs the path of a 404 or a 410: "Gone: /partenaires/…/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad call: the handler reports it, as without us
            return True
        if TOKEN_PATHS.search(message):
            record.msg, record.args = masked(message), None
        # django.request's lines carry the request too (the JSON format writes it out).
        request = getattr(record, "request", None)
        if request is not None and TOKEN_PATHS.search(getattr(request, "path", "")):
            record.request = masked(repr(request))
        return True


class MaskingLogger(Logger):  # type: ignore[misc]  # gunicorn has no types
    """Gunicorn's access log with the same masking (its %(U)s is the path)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "f", "{raw_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = masked(atoms[key])
        return atoms


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """Settings' LOGGING: every line through one console handler, with the request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # WeasyPrint (the dossier PDF) logs each step of every page at INFO.
        "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
    }


def sentry_init(*, dsn: str, traces_sample_rate: float, environment: str) -> None:
    """Errors to Sentry, from the web and from Celery; no personal data is sent."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        # A link's token never leaves for Sentry either (the URL, messages, breadcrumbs).
        before_send=lambda event, hint: sentry_masked(event),
        before_breadcrumb=lambda crumb, hint: sentry_masked(crumb),
        traces_sample_rate=traces_sample_rate,
        environment=environment,
    )


def sentry_masked(value: Any) -> Any:
    """A Sentry event or breadcrumb with the secrets of TOKEN_PATHS masked in every string."""
    if isinstance(value, str):
        return masked(value)
    if isinstance(value, dict):
        return {key: sentry_masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [sentry_masked(item) for item in value]
    return value
