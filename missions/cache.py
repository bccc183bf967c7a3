"""Caching of anonymous public pages: per address and language, dropped when a mission changes.

Each cached page is stored under the current "missions version"; changing a mission
(admin, status actions, the demo loader) bumps the version, so every page reflects it
(within a second: see below). Pages also expire after ``PAGE_TTL`` seconds, which keeps
the deadline countdown ("plus que 3 jours") true within a minute and bounds staleness
for changes made elsewhere (a shell, a migration).

Each worker also keeps the last ``LOCAL_PAGES_MAX`` pages it served (``local_pages``), the
version it last read, for ``VERSION_MEMO_SECONDS`` (``version``), and values derived from
the missions, such as the filter lists and the missions' programmes and partners
(``kept_value``): a page served again costs no round trip to the cache but its counts
(reading the version was most of a cached page's cost). So a change shows at once in the
worker that made it, and within a second in the others.

A page is kept with the counts its view made for the dashboard (a view, an eligibility
verdict: ``missions.counters``), and each serving of it counts them again: one ``INCR`` per
count, one for a plain visit.
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
# A kept page: (version, content, content type, expiry as a Unix time, the counts its view
# made for the dashboard, ``missions.counters``, replayed each time it is served).
Page = tuple[int, bytes, str, float, tuple[tuple[str, str], ...]]
# key -> page; bounded by LOCAL_PAGES_MAX.
local_pages: dict[str, Page] = {}
# The version this worker last read from the cache, and when (Unix time).
version_memo: list[Any] = [None, 0.0]
# Values derived from the missions, by name: (the version they were computed for, the value,
# when this worker stops trusting it, as a Unix time); see kept_value.
kept: dict[str, tuple[int, Any, float]] = {}
# How long a kept value is trusted, here and in the shared cache: changes that do not bump
# the version (a shell, a data migration) show within two of these, as PAGE_TTL bounds pages.
KEPT_SECONDS = 60
# Values kept per worker at most (a mission page's parts are kept per mission and language):
# past this, the worker starts afresh, as it does with pages.
KEPT_MAX = 4096


def version() -> int:
    """The current missions version, as this worker last read it from the cache: read again
    once ``VERSION_MEMO_SECONDS`` have passed, and set afresh if the cache has none."""
    current: int | None = version_memo[0]
    read_at: float = version_memo[1]
    now = time.time()
    if current is None or not 0 <= now - read_at < VERSION_MEMO_SECONDS:
        current = int(cache.get_or_set(VERSION_KEY, first_version, timeout=None) or 0)
        # 0: the cache is unreachable; nothing kept matches it, and it is read again next time.
        version_memo[:] = [current or None, now]
    return current


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


def forget_kept_pages() -> None:
    """Empty what this worker keeps for itself (tests, after clearing the shared cache)."""
    local_pages.clear()
    kept.clear()
    version_memo[:] = [None, 0.0]


def kept_value(name: str, compute: Callable[[], Any]) -> Any:
    """A value derived from the missions (the filter lists, the missions' links), shared
    by the workers through the cache under the current version and kept by this worker: read
    from the cache once per worker and version, computed once, trusted for ``KEPT_SECONDS``.

    Each name holds one version only, so a worker keeps one copy of each value whatever the
    number of changes; without the cache (version 0) the value is computed and not kept.
    """
    current = version()
    now = time.time()
    entry = kept.get(name)
    if entry is not None and entry[0] == current and entry[2] > now:
        return entry[1]
    if not current:
        return compute()
    key = f"{name}:{current}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, KEPT_SECONDS)
    if len(kept) >= KEPT_MAX:
        kept.clear()
    kept[name] = (current, value, now + KEPT_SECONDS)
    return value


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
        current = version()
        local = local_pages.get(key)
        if local is None or local[0] != current or local[3] <= time.time():
            hit = cache.get(key)
            local = hit if hit is not None and len(hit) == 5 and hit[0] == current else None
            if local is not None:
                remember(key, local)
        if local is not None:
            return served(local)
        response = view(request, *args, **kwargs)
        # A page with a CSRF token belongs to one visitor (the review form on a refusal).
        personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        if response.status_code == 200 and not personal and not response.streaming:
            counts = tuple(getattr(response, "counts", ()))
            expires = time.time() + PAGE_TTL
            page = (current, response.content, response["Content-Type"], expires, counts)
            cache.set(key, page, PAGE_TTL)
            remember(key, page)
        return response

    return wrapper


def served(page: Page) -> HttpResponse:
    """A kept page, with the counts its view made (``missions.counters``: each serving counts)."""
    response = HttpResponse(page[1], content_type=page[2])
    response.counts = page[4]  # type: ignore[attr-defined]
    return response


def remember(key: str, page: Page) -> None:
    if len(local_pages) >= LOCAL_PAGES_MAX:
        local_pages.clear()  # simpler than LRU, and the pages are still in the shared cache
    local_pages[key] = page
