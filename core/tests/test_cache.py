"""The cache's circuit breaker against a real Redis that we pause (SIGSTOP) and resume."""

import logging
import time

import pytest
from django.core.cache import cache

from missions.cache import forget_kept_pages
from missions.tests.factories import MissionFactory


def timed(call) -> tuple[object, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_after_one_time_out_the_cache_is_skipped_then_tried_again(redis_cache, caplog):
    cache.set("greeting", "bonjour")
    assert cache.get("greeting") == "bonjour"
    redis_cache.pause()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        first, waited = timed(lambda: cache.get("greeting"))
        rest, skipped = timed(lambda: [cache.get("greeting") for _ in range(20)])
        assert cache.set("other", 1) is None  # a write is skipped too, without an error

    assert (first, rest) == (None, [None] * 20)  # misses, never an exception
    assert waited >= 0.2  # the first call really waited for its time-out (0.25 s)…
    assert skipped < 0.1  # …the twenty next did not wait at all
    assert [r.getMessage() for r in caplog.records] == [
        "cache unavailable (TimeoutError): skipped for 1 s"
    ]

    redis_cache.resume()
    time.sleep(1.1)  # the breaker's time
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"


@pytest.mark.django_db
def test_an_anonymous_mission_page_with_the_cache_frozen_waits_for_one_time_out(
    client, redis_cache
):
    """Before the breaker, each of the page's cache calls waited 0.25 s: 2.5 s in all."""
    mission = MissionFactory()
    forget_kept_pages()  # a worker that keeps nothing yet: every value asks the cache
    redis_cache.pause()

    response, took = timed(lambda: client.get(mission.get_absolute_url()))

    assert response.status_code == 200 and mission.title in response.content.decode()
    assert took < 0.5, f"{took:.2f} s"
