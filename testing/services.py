"""Whether a real service is there, spare ports, and waiting for something to happen."""

import os
import socket
import time
from collections.abc import Callable
from typing import NoReturn
from urllib.parse import urlparse

import pytest


def missing(message: str) -> NoReturn:
    """Skip without something a test needs, or fail when CI says every service must be there."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


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
    if not service_reachable(url):
        missing(f"{name} is not reachable at {url}")


def require_postgresql(message: str) -> None:
    """Skip (or fail) unless the test database is PostgreSQL, with the test's own reason."""
    from django.db import connection

    if connection.vendor != "postgresql":
        missing(message)


def spare_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(
    predicate: Callable[[], bool], timeout: float = 30, interval: float = 0.2, message: str = ""
) -> None:
    """Return once ``predicate()`` is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting: {message}")
        time.sleep(interval)
