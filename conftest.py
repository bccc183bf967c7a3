"""Shared fixtures. A test needing a real service skips without it; REQUIRE_SERVICES=1 fails it."""

import os
import socket
from urllib.parse import urlparse

import pytest


def service_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1
        ):
            return True
    except OSError:
        return False


def require_service(name: str, url: str) -> None:
    """Skip when a service is down, or fail when CI says every service must be there."""
    if service_reachable(url):
        return
    message = f"{name} is not reachable at {url}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    require_service("Redis", url)
    return url


@pytest.fixture
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
