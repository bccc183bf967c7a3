"""Shared fixtures. A test needing a real service skips without it; REQUIRE_SERVICES=1 fails it."""

import os
import socket
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


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on a spare port, keeping what it receives."""

    host: str
    port: int
    messages: list[EmailMessage]

    def last_to(self, address: str) -> EmailMessage:
        for message in reversed(self.messages):
            if address in message["To"]:
                return message
        raise AssertionError(f"no message to {address}")


class _Collect:
    def __init__(self, messages: list[EmailMessage]) -> None:
        self.messages = messages

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=email_policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp_server(free_port: int) -> Iterator[SmtpServer]:
    messages: list[EmailMessage] = []
    controller = Controller(_Collect(messages), hostname="127.0.0.1", port=free_port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", free_port, messages)
    finally:
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
