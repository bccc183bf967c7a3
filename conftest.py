"""Shared fixtures. A test needing a real service skips without it; REQUIRE_SERVICES=1 fails it.

The machinery behind them (servers, processes, clusters) lives in the ``testing`` package.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testing import clock
from testing.celery_processes import CeleryWorker
from testing.disk import small_tmpfs
from testing.postgres import Cluster, django_connected_to, throwaway_cluster
from testing.redis_server import RedisServer
from testing.services import missing, require_postgresql, require_service, spare_port
from testing.smtp import SmtpServer, smtp_server_on


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    require_service("Redis", url)
    return url


@pytest.fixture
def free_port() -> int:
    return spare_port()


@pytest.fixture
def smtp_down(settings: Any, free_port: int) -> int:
    """The application sends to a port where no SMTP server listens (yet)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    from django.core.cache import cache

    cache.clear()  # allauth's rate limits
    return free_port


@pytest.fixture
def smtp_server(free_port: int) -> Iterator[SmtpServer]:
    with smtp_server_on(free_port) as server:
        yield server


@pytest.fixture
def mail_via_smtp(settings, smtp_server: SmtpServer) -> SmtpServer:
    """Send the application's e-mails through the real SMTP server of the test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test keeps candidates' documents in its own temporary folder."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


FULL_DISK_BYTES = 512 * 1024


@pytest.fixture
def full_disk(settings, tmp_path) -> Iterator[Path]:
    """Documents go to a small tmpfs (filled by the test with ``testing.disk.fill``)."""
    with small_tmpfs(tmp_path / "full-disk", FULL_DISK_BYTES) as mount_point:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(mount_point), "base_url": None},
            },
        }
        yield mount_point


@pytest.fixture(autouse=True)
def no_eager_celery(settings):
    """Tests never run tasks eagerly: they call them directly or start a real worker."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def pinned_now(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test at the same "now" (``testing.clock.NOW``), ticking from there; those that
    start other processes keep the real clock (``real_clock``)."""
    if request.node.get_closest_marker("real_clock") or "live_server" in request.fixturenames:
        yield
        return
    time_machine = request.getfixturevalue("time_machine")
    time_machine.move_to(clock.NOW, tick=True)
    yield


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French, whatever language an earlier request left active."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture(scope="session", autouse=True)
def test_broker() -> Iterator[RedisServer | None]:
    """Every task the suite queues goes to a private Redis, never to the machine's."""
    if shutil.which("redis-server") is None:
        yield None
        return
    server = RedisServer(spare_port())
    server.start()
    from django.conf import settings as django_settings

    from config.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    machine_broker = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = django_settings.CELERY_BROKER_URL = server.url
    app.conf.broker_url = server.url
    try:
        yield server
    finally:
        server.stop()
        if machine_broker is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = machine_broker


@pytest.fixture
def broker(test_broker: RedisServer | None) -> Iterator[RedisServer]:
    if test_broker is None:
        missing("redis-server is not installed")
    yield test_broker
    if test_broker.process is not None:
        test_broker.resume()  # a fault test may have left it paused
    if test_broker.process is None:
        test_broker.start()  # a fault test stopped it: the next tests need it back


@pytest.fixture
def postgresql_database() -> None:
    """Worker processes share the test database: it must be PostgreSQL."""
    require_postgresql("a worker process needs a shared database: set DATABASE_URL to PostgreSQL")


@pytest.fixture
def celery_worker(postgresql_database, broker, smtp_server, tmp_path) -> Iterator[CeleryWorker]:
    """A real worker (solo pool) on the test database, the private Redis and the SMTP server."""
    worker = CeleryWorker(broker.url, smtp_server.port, tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def postgresql_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster of the test's own (initdb on a spare port)."""
    with throwaway_cluster() as cluster:
        yield cluster


@pytest.fixture
def database_on_cluster(postgresql_cluster: Cluster, django_db_blocker) -> Iterator[Cluster]:
    """Django, in this process, on a throwaway cluster that the test may stop and start again."""
    with django_db_blocker.unblock(), django_connected_to(postgresql_cluster):
        yield postgresql_cluster


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and rate limits never leak from one test into another."""
    from django.core.cache import cache

    from missions.cache import forget_kept_pages

    cache.clear()
    forget_kept_pages()  # and the pages and version this process keeps for itself


@pytest.fixture
def redis_cache(settings) -> Iterator[RedisServer]:
    """The default cache as in production (core.cache.BreakerRedisCache and its time-outs),
    on a private redis-server stopped by its own process id after the test."""
    if shutil.which("redis-server") is None:
        missing("redis-server is not installed")
    server = RedisServer(spare_port())
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.BreakerRedisCache",
            "LOCATION": server.url,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.CACHE_BREAKER_SECONDS = 1
    try:
        yield server
    finally:
        if server.process is not None:  # a test may have stopped it already
            server.resume()
            server.stop()
