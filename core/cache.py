"""A Redis cache that, once it failed, is left alone for a few seconds.

django-redis already turns a cache that is down or frozen into misses (``IGNORE_EXCEPTIONS``,
a socket time-out of a quarter of a second). But an anonymous page asks the cache several
times: with Redis paused, each ask waited for its own time-out (2.5 s for a mission page).
After the first failure this cache answers every call at once as a miss for
``CACHE_BREAKER_SECONDS`` (per process), then tries Redis again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)


class CacheSkipped(Exception):
    """The cause given to django-redis for a call not made while the breaker is open."""


class Breaker:
    """Open for a while after a failure: calls made meanwhile fail at once."""

    def __init__(self) -> None:
        self.open_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, error: BaseException) -> None:
        seconds = settings.CACHE_BREAKER_SECONDS
        with self.lock:
            if self.is_open():
                return
            self.open_until = time.monotonic() + seconds
        logger.warning("cache unavailable (%s): skipped for %s s", type(error).__name__, seconds)


class GuardedClient:
    """django-redis's client, each call guarded by the breaker."""

    def __init__(self, client: Any, breaker: Breaker) -> None:
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute
        return self._guard(attribute)

    def _guard(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if self._breaker.is_open():
                raise ConnectionInterrupted(connection=None) from CacheSkipped()
            try:
                return method(*args, **kwargs)
            except ConnectionInterrupted as error:
                self._breaker.trip(error.__cause__ or error)
                raise

        return call


class BreakerRedisCache(RedisCache):  # type: ignore[misc]  # django-redis has no types
    """``django_redis.cache.RedisCache`` with a circuit breaker (see the module's docstring);
    a miss is all a caller ever sees, as with ``IGNORE_EXCEPTIONS``."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._breaker = Breaker()
        self._guarded: GuardedClient | None = None

    @property
    def client(self) -> Any:
        # Wrapped once: every cache call goes through here, on every page.
        if self._guarded is None:
            self._guarded = GuardedClient(super().client, self._breaker)
        return self._guarded

    def add(self, key: Any, value: Any, *args: Any, **kwargs: Any) -> bool:
        """True when Redis cannot be reached: callers take ``add`` as a lock (allauth's rate
        limits wait a second for it, then refuse everyone). With the cache down those limits
        open, like django-ratelimit's (RATELIMIT_FAIL_OPEN); sign-ins stay limited by the
        lockout kept in the database, and a code's tries by the session."""
        added = super().add(key, value, *args, **kwargs)
        return True if added is None else bool(added)
