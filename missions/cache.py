"""Caching of anonymous public pages: per address and language, dropped when a mission changes.

Each cached page is stored under the current "missions version"; changing a mission
(admin, status actions, the demo loader) bumps the version, so every page reflects
it at once. Pages also expire after ``PAGE_TTL`` seconds, which keeps the deadline
countdown ("plus que 3 jours") true within a minute and bounds staleness for
changes made elsewhere (a shell, a migration).
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

PAGE_TTL = settings.PUBLIC_PAGE_CACHE_SECONDS
VERSION_KEY = "missions:version"

View = Callable[..., HttpResponse]


def version() -> int:
    return int(cache.get_or_set(VERSION_KEY, 1, timeout=None) or 1)


def bump() -> None:
    """A mission changed: every cached public page and filter list is out of date."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cacheable(request: HttpRequest) -> bool:
    # A session or flashed messages make the page personal: never cache those.
    return request.method == "GET" and not {"sessionid", "messages"} & request.COOKIES.keys()


def cache_anonymous_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not PAGE_TTL or not cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{get_language()}:{path}"
        # One round trip for both the current version and the page stored with its version.
        found = cache.get_many([VERSION_KEY, key])
        current = found.get(VERSION_KEY) or version()
        hit = found.get(key)
        if hit is not None and hit[0] == current:
            _version, content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        # A page with a CSRF token belongs to one visitor (the review form on a refusal).
        personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        if response.status_code == 200 and not personal and not response.streaming:
            cache.set(key, (current, response.content, response["Content-Type"]), PAGE_TTL)
        return response

    return wrapper
