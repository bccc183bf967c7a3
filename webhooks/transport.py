"""One POST to a checked address (``security.Target``): no second DNS lookup, no redirect
followed, a timeout on connecting and on every read."""

import http.client
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings

from webhooks.security import Target

# Enough of an answer to tell staff what the receiver said; the rest is not read.
KEPT_BYTES = 500


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header keeps the name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address; TLS checks the certificate against the name."""

    def __init__(self, target: Target, timeout: float) -> None:
        self.tls = ssl.create_default_context(cafile=settings.WEBHOOKS_CA_FILE or None)
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST ``body``; the answer's status and first bytes. Raises OSError (refused, timed out,
    TLS) and http.client.HTTPException (a broken answer)."""
    connection_class = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(KEPT_BYTES).decode("utf-8", "replace")
        return Answer(response.status, text)
    finally:
        connection.close()
