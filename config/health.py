"""/healthz: are the database and the broker reachable? For load balancers and operators.

200 when every check is "ok" (the broker may be "not configured"); 503 when one is "error",
with a "reason" naming what is unreachable: "database unreachable" while pages answer their
own 503 (core.unavailable). No error text is shown: it could name hosts and ports.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app
from core.unavailable import close_broken_connections


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        close_broken_connections()  # the next check connects again, as the next page does
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


class PingMiddleware:
    """Answers ``GET /ping`` before the rest of the middleware, second after the request id.

    A probe needs no session, language, CSRF check or host check: a load balancer asking
    every few seconds, by the server's own address, gets its "ok" for a tenth of what a page
    costs. Nor does it get the security headers (CSP, HSTS, frame options): its answer is
    two letters of plain text. Every other request, and /ping with another method, goes on
    to the stack and config/urls.py.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/ping" and request.method in ("GET", "HEAD"):
            return ping(request)
        return self.get_response(request)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the configured broker answer, 503 saying which does not."""
    checks = {"database": database_state(), "broker": broker_state()}
    failing = [name for name, state in checks.items() if state == "error"]
    if not failing:
        return JsonResponse({"status": "ok", "checks": checks})
    reason = f"{' and '.join(failing)} unreachable"
    return JsonResponse({"status": "error", "reason": reason, "checks": checks}, status=503)
