"""/healthz: are the database and the broker reachable? For load balancers and operators."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "error"
    return "ok"


def broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "not configured (tasks run eagerly)"
    try:
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception:  # noqa: BLE001 -- any failure to reach the broker is reported, not raised
        return "error"
    return "ok"


def ping(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers (no database, no broker), for cheap, frequent probes.

    "no-store" is set directly: @never_cache parses and rebuilds Cache-Control and adds
    Expires, which cost this view more than answering.
    """
    response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the configured broker answer, 503 otherwise."""
    checks = {"database": database_state(), "broker": broker_state()}
    healthy = all(state != "error" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
