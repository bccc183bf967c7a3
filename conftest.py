"""Shared fixtures. A test needing a real service skips without it; REQUIRE_SERVICES=1 fails it."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller


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


class SmtpHandler:
    """Keeps what it receives; can refuse for a while, or hang, to play a failing server."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0  # answer "451 try again later" to this many messages
        self.hang = threading.Event()  # set: hold every message at RCPT until released
        self.hanging = threading.Event()  # set by the handler once a message is held
        self.release = threading.Event()
        self.connections = 0  # SMTP sessions opened (EHLO/HELO), to see connection reuse

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hang.is_set():
            self.hanging.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        parsed = message_from_bytes(envelope.content, policy=email_policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on a spare port, keeping what it receives."""

    host: str
    port: int
    handler: SmtpHandler

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def last_to(self, address: str) -> EmailMessage:
        for message in reversed(self.messages):
            if address in message["To"]:
                return message
        raise AssertionError(f"no message to {address}")


@pytest.fixture
def smtp_server(free_port: int) -> Iterator[SmtpServer]:
    handler = SmtpHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", free_port, handler)
    finally:
        handler.release.set()
        controller.stop()


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


@pytest.fixture(autouse=True)
def no_eager_celery(settings):
    """Tests never run tasks eagerly: they call them directly or start a real worker."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French, whatever language an earlier request left active."""
    from django.utils import translation

    with translation.override("fr"):
        yield


class RedisServer:
    """A private redis-server on a spare port, for the suite's broker and for fault tests."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        self.process = subprocess.Popen(  # noqa: S603 -- Debian's redis-server, fixed arguments
            [*command, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not service_reachable(self.url):
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def pause(self) -> None:
        """Freeze this server (SIGSTOP): connections are accepted, nothing is answered."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """Stop this server, by its own process id (never the machine's Redis)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session", autouse=True)
def test_broker() -> Iterator[RedisServer | None]:
    """Every task the suite queues goes to a private Redis, never to the machine's."""
    if shutil.which("redis-server") is None:
        yield None
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = RedisServer(port)
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
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    yield test_broker
    if test_broker.process is not None:
        test_broker.resume()  # a fault test may have left it paused
    if test_broker.process is None:
        test_broker.start()  # a fault test stopped it: the next tests need it back


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and rate limits never leak from one test into another."""
    from django.core.cache import cache

    from missions.cache import forget_kept_pages

    cache.clear()
    forget_kept_pages()  # and the pages and version this process keeps for itself
