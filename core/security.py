"""Request limits: rate limits keyed on the real client address, and an overall body size cap."""

from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter
from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.context_processors import page_url
from core.documents import size_limit


def client_address(request: HttpRequest) -> str:
    """The client's address, taken from X-Forwarded-For only as far as TRUSTED_PROXY_COUNT
    proxies are trusted (allauth's rule), so nobody can forge it to dodge or lock out others
    (rate limits and the sign-in lockout of django-axes). "" for a request that has none
    (the test client's log-out, a management command): every real request has one."""
    try:
        return str(get_adapter().get_client_ip(request))
    except PermissionDenied:
        return ""


def client_ip(group: str, request: HttpRequest) -> str:
    """``client_address``, as django-ratelimit calls a key function."""
    return client_address(request)


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
            return too_large(request)
        return self.get_response(request)


def too_large(request: HttpRequest) -> HttpResponse:
    """413: the documents' size limit, and a way back to the form the request came from."""
    context = {"back_url": page_url(request), "limit": size_limit()}
    return render(request, "413.html", context, status=413)


class StaticPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once instead of per response.

    Our policy uses no nonce, so it is the same string for every response; a view that asks
    for a nonce or changes the policy with django-csp's decorators goes the library's way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        plain = not policy.get("EXCLUDE_URL_PREFIXES") and not getattr(
            settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None
        )
        # "": a report-only policy or excluded prefixes are configured: the library decides.
        self.policy = build_policy() if plain else ""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        customised = any(
            hasattr(response, name)
            for name in ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
                         "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
        )  # fmt: skip
        if not self.policy or customised or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (500, 404):
            return response  # as django-csp does, for the debug pages
        if HEADER not in response:
            response[HEADER] = self.policy
        # Reading request.csp_nonce from now on would be a mistake: django-csp raises then.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
