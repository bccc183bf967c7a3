"""Deliveries over https, as in production: the connection goes to the checked address and
TLS checks the receiver's certificate against the URL's name (``webhooks.transport``)."""

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing.services import missing
from webhooks import services
from webhooks.models import Delivery
from webhooks.tests.conftest import make_delivery, make_endpoint
from webhooks.tests.receiver import Receiver
from webhooks.tests.test_signing import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    """A self-signed certificate for the name ``localhost`` only, made by openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        missing("openssl is not installed: apt-get install openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # noqa: S603 -- openssl, fixed arguments
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def https_receiver(certificate, settings) -> Iterator[Receiver]:
    cert, key = certificate
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    settings.WEBHOOKS_ALLOW_HTTP = False  # https only, as in production
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    settings.WEBHOOKS_CA_FILE = str(cert)  # trusted as an organisation's own CA would be
    server = Receiver(tls=tls, host="localhost").start()
    yield server
    server.stop()


def test_a_delivery_goes_over_https_to_the_name_its_certificate_names(https_receiver):
    endpoint = make_endpoint(https_receiver.url)
    delivery = make_delivery(endpoint)

    outcome = services.delivery_send(delivery_id=delivery.pk)

    (request,) = https_receiver.received
    assert outcome == "sent"
    assert request.headers["Host"] == f"localhost:{https_receiver.port}"
    assert verify(
        request.headers, request.body, endpoint.secret, now=delivery.created_at.timestamp()
    )
    assert Delivery.objects.get(pk=delivery.pk).state == Delivery.State.SENT


def test_a_certificate_for_another_name_is_refused_and_retried(https_receiver):
    # The same receiver by its address: its certificate names localhost, not 127.0.0.1.
    endpoint = make_endpoint(https_receiver.url.replace("localhost", "127.0.0.1"))
    delivery = make_delivery(endpoint)

    outcome = services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert https_receiver.received == []
    assert delivery.state == Delivery.State.PENDING  # tried again later
    assert delivery.attempts == 1
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error
    assert outcome != "sent"
