"""Caching of anonymous public pages: per address and language, dropped when a mission changes.

Each cached page is stored under the current "missions version"; changing a mission
(admin, status actions, the demo loader) bumps the version, so every page reflects
it at once. Pages also expire after ``PAGE_TTL`` seconds, which keeps the deadline
countdown ("plus que 3 jours") true within a minute and bounds staleness for
changes made elsewhere (a shell, a migration).

Each worker also keeps the last ``LOCAL_PAGES_MAX`` pages it served (``local_pages``) and
the version it last read, for ``VERSION_MEMO_SECONDS`` (``pages_version``): a page served
again costs no round trip to the cache at all (that read was most of a cached page's cost).
So a change shows at once in the worker that made it, and within a second in the others.
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
VERSION_MEMO_SECONDS = 1.0

View = Callable[..., HttpResponse]
# key -> (version, content, content type, expiry as a Unix time); bounded by LOCAL_PAGES_MAX.
local_pages: dict[str, tuple[int, bytes, str, float]] = {}
# The version this worker last read from the cache, and when (Unix time).
version_memo: list[Any] = [None, 0.0]


def version() -> int:
    return int(cache.get_or_set(VERSION_KEY, first_version, timeout=None) or first_version())


def first_version() -> int:
    """A version never used before, for a cache that lost the key (flushed, restarted):
    counting again from 1 would make pages a worker kept from before look current."""
    return secrets.randbits(62)  # room left below 2**63 for INCR


def bump() -> None:
    """A mission changed: every cached public page and filter list is out of date."""
    version_memo[:] = [None, 0.0]  # this worker reads the new version at once
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, first_version(), timeout=None)


def pages_version() -> int | None:
    """The version the kept pages are checked against: read again from the cache once
    ``VERSION_MEMO_SECONDS`` have passed (None: the cache has none, or is unreachable)."""
    current, read_at = version_memo
    now = time.time()
    if current is None or not 0 <= now - read_at < VERSION_MEMO_SECONDS:
        current = cache.get(VERSION_KEY)
        version_memo[:] = [current, now]
    return current


def forget_kept_pages() -> None:
    """Empty this worker's own pages and version (tests, after clearing the shared cache)."""
    local_pages.clear()
    version_memo[:] = [None, 0.0]


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
        if local is not None and local[3] > time.time() and local[0] == pages_version():
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
