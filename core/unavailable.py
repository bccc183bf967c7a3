"""A database that went away (restarted, unreachable): a branded 503, never a bare 500.

A view, or a middleware after it, that loses its connection gets ``OperationalError`` or
``InterfaceError``. The visitor is told, in their language, that the service is momentarily
unavailable, that their draft is kept, and to try again in a minute (``Retry-After``); the page
is rendered without the database. The broken connection is closed at once, so the next
request opens a new one (Django would also drop it when the request finishes: ``errors_occurred``
then a failed ``is_usable()``; ``CONN_HEALTH_CHECKS`` replaces one that broke while idle).

The middleware answers for the view. What a middleware meets after the view reaches Django's
error handlers instead (config/urls.py): a session that cannot be created is an
``OperationalError`` (handler500), one that cannot be updated a ``SessionInterrupted`` raised
over it (handler400); both answer the same 503 when the database is the cause.
"""

import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response
from django.views import defaults

from core.context_processors import page_url

DATABASE_ERRORS = (OperationalError, InterfaceError)
# What the page says ("try again in a minute") and what Retry-After tells clients and proxies.
RETRY_AFTER_SECONDS = 60


def close_broken_connections() -> None:
    """Close every open database connection that no longer answers: the next query reconnects."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 in the request's language, rendered without the database (see templates/503.html)."""
    close_broken_connections()
    context = {"back_url": page_url(request), "form_sent": request.method == "POST"}
    response = render(request, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)  # no proxy may keep it once the database is back
    return response


def caused_by_database(exception: BaseException | None) -> bool:
    """Whether ``exception`` is the database's, or was raised while handling one of its errors
    (SessionInterrupted over UpdateError over OperationalError)."""
    seen: set[int] = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, DATABASE_ERRORS):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers the branded 503; other errors go Django's way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG or not caused_by_database(exception):
            return None  # with DEBUG, Django's technical page (SQLite's "no such table"…)
        response = database_unavailable(request)
        # Logged once, with the traceback, where Django logs the errors of requests.
        log_response(
            "Database unavailable (%s): %s for %s %s",
            type(exception).__name__,
            response.status_code,
            request.method,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 when the database failed after the view, else Django's 500 page.
    Django has logged the error."""
    if caused_by_database(sys.exception()):
        return database_unavailable(request)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: the 503 when a session could not be saved for want of the database, else
    Django's 400 page. Django has logged the error."""
    if caused_by_database(exception):
        return database_unavailable(request)
    return defaults.bad_request(request, exception)
