"""Where candidates come from: an alert, an invitation from the talent pool, another site.

A visit that says where it comes from (``?source=alert`` or ``?source=invitation`` on the
links of those e-mails, ``?utm_source=…`` on a link posted elsewhere, or another site's
address as referrer) is remembered in the session (``SourceMiddleware``); the application
started next records it (``application_draft_get``). A visit that says nothing writes
nothing, so the catalogue's pages stay free of session writes; an application with no
source remembered was found on the site: ``Source.CATALOGUE``.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from applications.models import Source

SESSION_KEY = "application_source"
# Values of ?source= that the site's own e-mails put on their links.
LINK_SOURCES = {Source.ALERT.value, Source.INVITATION.value}
DETAIL_MAX = 100


def visit_source(request: HttpRequest) -> tuple[str, str, str] | None:
    """The source this request says it comes from, its detail, and the one mission it is
    for (an invitation's), or None."""
    source = request.GET.get("source", "")
    if source == Source.INVITATION:
        return source, "", invited_to(request)
    if source in LINK_SOURCES:
        return source, "", ""
    campaign = request.GET.get("utm_source", "").strip()
    if campaign:
        return Source.EXTERNAL.value, campaign[:DETAIL_MAX], ""
    referrer = urlsplit(request.META.get("HTTP_REFERER", ""))
    host = (referrer.hostname or "")[:DETAIL_MAX]
    if host and referrer.scheme in ("http", "https") and host != request.get_host().split(":")[0]:
        return Source.EXTERNAL.value, host, ""
    return None


def invited_to(request: HttpRequest) -> str:
    """The mission whose page an invitation's link opens: the invitation is for it alone."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    return str(match.kwargs.get("reference", ""))[:DETAIL_MAX]


def source_remember(request: HttpRequest) -> None:
    """Keep the source this visit names (the latest one wins) for the application to come."""
    found = visit_source(request)
    if found is not None and request.session.get(SESSION_KEY) != list(found):
        request.session[SESSION_KEY] = list(found)


def session_source(request: HttpRequest, reference: str) -> tuple[str, str]:
    """The source to record on an application to mission ``reference`` started now; an
    invitation to another mission does not count."""
    remembered = request.session.get(SESSION_KEY)
    if isinstance(remembered, list) and len(remembered) == 3 and remembered[0] in Source.values:
        source, detail, mission = (str(value) for value in remembered)
        if not mission or mission == reference:
            return source, detail[:DETAIL_MAX]
    return Source.CATALOGUE.value, ""


class SourceMiddleware:
    """Remembers the source of GET requests for pages (after the session middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and hasattr(request, "session"):
            source_remember(request)
        return self.get_response(request)
