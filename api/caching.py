"""The public API's answers, kept like the public pages (``missions.cache``) and validated
with ``ETag`` and ``Last-Modified``.

An answer of a public endpoint is the same for every client: it is kept under the missions
version, per address, shared by the workers through the cache and by each worker for itself,
and dropped when a mission changes (or after ``PUBLIC_PAGE_CACHE_SECONDS``). Each answer has
an ``ETag`` (a hash of its body) and a ``Last-Modified``, the moment it was made (a change of
anything it shows makes a new one): a client that sends either back gets 304 Not Modified,
without the body, while its copy is current. A request with an ``Authorization`` header is
never served a kept answer: a key may see more.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from missions import cache as mission_cache

# A kept answer: (version, body, content type, expiry as a Unix time, ETag, Last-Modified).
Answer = tuple[int, bytes, str, float, str, str]
# address key -> answer; bounded like the pages of missions.cache.
local_answers: dict[str, Answer] = {}


def servable(request: HttpRequest) -> bool:
    """A plain GET for JSON, with no key: the same answer for every client."""
    accept = request.headers.get("Accept", "*/*")
    return (
        request.method in ("GET", "HEAD")
        and "Authorization" not in request.headers
        and ("json" in accept or "*/*" in accept)
    )


def conditional(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Keep a public endpoint's answers (``servable`` requests) and answer 304 to a client
    whose copy is current."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not servable(request):
            return view(request, *args, **kwargs)
        # The whole address: the answers' links are absolute, on the request's host and scheme.
        key = "api:" + hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        current = mission_cache.version() if mission_cache.PAGE_TTL else 0
        answer = kept_answer(key, current) if current else None
        if answer is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            answer = answer_of(response, current)
            if current:
                cache.set(key, answer, mission_cache.PAGE_TTL)
                remember(key, answer)
        return served(request, answer)

    view_class = getattr(view, "cls", None)  # REST framework's view: its schema says 304
    if view_class is not None:
        view_class.conditional = True
    return wrapper


def kept_answer(key: str, current: int) -> Answer | None:
    answer = local_answers.get(key)
    if answer is None or answer[0] != current or answer[3] <= time.time():
        hit = cache.get(key)
        answer = hit if isinstance(hit, tuple) and len(hit) == 6 and hit[0] == current else None
        if answer is not None:
            remember(key, answer)
    return answer


def answer_of(response: Any, current: int) -> Answer:
    if hasattr(response, "render"):
        response.render()  # REST framework's Response is rendered here, once
    body = bytes(response.content)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    expires = time.time() + mission_cache.PAGE_TTL
    # When this answer was made: a change of what it shows makes a new one (a new version),
    # so a client's copy of that moment or later is current (to the second).
    return (current, body, response["Content-Type"], expires, etag, http_date(time.time()))


def served(request: HttpRequest, answer: Answer) -> HttpResponseBase:
    response = HttpResponse(answer[1], content_type=answer[2])
    response["ETag"] = answer[4]
    if answer[5]:
        response["Last-Modified"] = answer[5]
    patch_cache_control(response, public=True, max_age=mission_cache.PAGE_TTL)
    last_modified = parse_http_date_safe(answer[5]) if answer[5] else None
    conditional = get_conditional_response(
        request, etag=answer[4], last_modified=last_modified, response=response
    )
    return conditional or response


def remember(key: str, answer: Answer) -> None:
    if len(local_answers) >= mission_cache.LOCAL_PAGES_MAX:
        local_answers.clear()
    local_answers[key] = answer
