"""A real SMTP server (aiosmtpd) on a spare port: keeps what it receives, or plays a bad one."""

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class SmtpHandler:
    """Keeps what it receives; can refuse for a while, or hang, to play a failing server."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0  # answer ``refusal`` to this many messages
        # The answer to a refused message: a temporary 451 unless a test plays a permanent
        # refusal ("550 5.1.1 …") or a server closing down ("421 …").
        self.refusal = "451 4.3.0 Try again later"
        self.hang = threading.Event()  # set: hold every message at RCPT until released
        self.hanging = threading.Event()  # set by the handler once a message is held
        self.release = threading.Event()
        self.connections = 0  # SMTP sessions opened (EHLO/HELO), to see connection reuse

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.hang.is_set():
            self.hanging.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return self.refusal
        parsed = message_from_bytes(envelope.content, policy=email_policy.default)
        self.messages.append(parsed)
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


@contextmanager
def smtp_server_on(port: int, host: str = "127.0.0.1") -> Iterator[SmtpServer]:
    """Serve SMTP on ``port`` while the block runs; a held message is released at the end."""
    handler = SmtpHandler()
    controller = Controller(handler, hostname=host, port=port)
    controller.start()
    try:
        yield SmtpServer(host, port, handler)
    finally:
        handler.release.set()
        controller.stop()
