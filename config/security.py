"""Request limits: rate limits keyed on the real client address, and an overall body size cap."""

from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(group: str, request: HttpRequest) -> str:
    """The client's address, taken from X-Forwarded-For only as far as TRUSTED_PROXY_COUNT
    proxies are trusted (allauth's rule), so nobody can forge it to dodge or lock out others."""
    return str(get_adapter().get_client_ip(request))


def ratelimited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: a clear page with status 429."""
    message = _("Trop de tentatives en peu de temps : attendez une minute, puis réessayez.")
    return render(request, "429.html", {"message": message}, status=429)


class MaxBodySizeMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BYTES before reading any of it (413)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return render(request, "413.html", status=413)
        return self.get_response(request)
