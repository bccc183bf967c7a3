"""Caching of anonymous public pages: per address and language, dropped when a mission changes.

Each cached page is stored under the current "missions version"; changing a mission
(admin, status actions, the demo loader) bumps the version, so every page reflects
it at once. Pages also expire after ``PAGE_TTL`` seconds, which keeps the deadline
countdown ("plus que 3 jours") true within a minute and bounds staleness for
changes made elsewhere (a shell, a migration).

Each worker also keeps the last ``LOCAL_PAGES_MAX`` pages it served (``local_pages``), so a
page read again costs one small read of the version from the cache rather than the whole
page (a mission page is about 38 KB); the version is checked on every request all the same.
"""

import hashlib
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

PAGE_TTL = settings.PUBLIC_PAGE_CACHE_SECONDS
VERSION_KEY = "missions:version"

LOCAL_PAGES_MAX = 128

View = Callable[..., HttpResponse]
# key -> (version, content, content type, expiry as a Unix time); bounded by LOCAL_PAGES_MAX.
local_pages: dict[str, tuple[int, bytes, str, float]] = {}


def version() -> int:
    return int(cache.get_or_set(VERSION_KEY, first_version, timeout=None) or first_version())


def first_version() -> int:
    """A version never used before, for a cache that lost the key (flushed, restarted):
    counting again from 1 would make pages a worker kept from before look current."""
    return secrets.randbits(62)  # room left below 2**63 for INCR


def bump() -> None:
    """A mission changed: every cached public page and filter list is out of date."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, first_version(), timeout=None)


def cacheable(request: HttpRequest) -> bool:
    # A session or flashed messages make the page personal: never cache those.
    return request.method == "GET" and not {"sessionid", "messages"} & request.COOKIES.keys()


def cache_anonymous_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not PAGE_TTL or not cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        # LocaleMiddleware's choice: the same as get_language(), without its thread-local lookups.
        language = getattr(request, "LANGUAGE_CODE", None) or get_language()
        key = f"page:{language}:{path}"
        local = local_pages.get(key)
        if local is not None and local[3] > time.time() and local[0] == cache.get(VERSION_KEY):
            return HttpResponse(local[1], content_type=local[2])
        # One round trip for both the current version and the page stored with its version.
        found = cache.get_many([VERSION_KEY, key])
        current = found.get(VERSION_KEY) or version()
        hit = found.get(key)
        if hit is not None and len(hit) == 4 and hit[0] == current:
            _version, content, content_type, expires = hit
            remember(key, (current, content, content_type, expires))
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        # A page with a CSRF token belongs to one visitor (the review form on a refusal).
        personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        if response.status_code == 200 and not personal and not response.streaming:
            page = (current, response.content, response["Content-Type"], time.time() + PAGE_TTL)
            cache.set(key, page, PAGE_TTL)
            remember(key, page)
        return response

    return wrapper


def remember(key: str, page: tuple[int, bytes, str, float]) -> None:
    if len(local_pages) >= LOCAL_PAGES_MAX:
        local_pages.clear()  # simpler than LRU, and the pages are still in the shared cache
    local_pages[key] = page
