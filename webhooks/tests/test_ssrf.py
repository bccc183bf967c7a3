"""No webhook reaches our own network: refused at registration and again at every send.

These tests run with WEBHOOKS_ALLOW_PRIVATE off (the production default)."""

import pytest

from webhooks import services
from webhooks.forms import EndpointForm
from webhooks.models import Delivery
from webhooks.security import forbidden
from webhooks.tests.conftest import make_delivery, make_endpoint
from webhooks.tests.receiver import Reply

pytestmark = pytest.mark.django_db

PRIVATE = "Cette adresse mène à un réseau privé ou réservé"
HTTPS_ONLY = "Seules les adresses https:// peuvent recevoir des webhooks."


@pytest.fixture(autouse=True)
def production_rules(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    settings.WEBHOOKS_ALLOW_HTTP = False


def registration_errors(url: str) -> list[str]:
    form = EndpointForm(data={"name": "Test", "url": url, "events": ["mission.published"]})
    assert not form.is_valid()
    return form.errors["url"]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://192.168.1.10/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://100.64.0.1/",
        "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
        "https://[2002:a9fe:a9fe::]/",  # 6to4 of 169.254.169.254
    ],
)
def test_a_private_address_is_refused_at_registration(url):
    (error,) = registration_errors(url)

    assert error.startswith(PRIVATE)


def test_an_address_hidden_in_ipv6_is_refused():
    assert forbidden("2002:7f00:1::")  # 6to4
    assert forbidden("2001:0:5ef5:79fd:0:59d:f5ff:fffe")  # Teredo: client 10.250.0.1
    assert not forbidden("2002:5db8:d70e::")  # 6to4 of a public address


def test_a_port_out_of_range_is_refused_clearly():
    assert registration_errors("https://example.org:99999/") == [
        "Indiquez une adresse complète, sans identifiant ni mot de passe."
    ]


def test_plain_http_is_refused_in_production():
    assert registration_errors("http://93.184.215.14/hook") == [HTTPS_ONLY]


def test_a_public_address_is_accepted_by_the_check():
    assert not forbidden("93.184.215.14")
    assert not forbidden("2606:2800:21f:cb07:6820:80da:af6b:8b2c")
    assert forbidden("127.0.0.1") and forbidden("fe80::1%eth0") and forbidden("::")


def test_a_url_changed_to_a_private_address_after_registration_is_not_sent(settings, receiver):
    settings.WEBHOOKS_ALLOW_HTTP = True  # the receiver speaks http: only the address is wrong
    delivery = make_delivery(make_endpoint(receiver.url))

    assert services.delivery_send(delivery_id=delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.last_error.startswith(PRIVATE)
    assert receiver.received == []


def test_a_url_changed_to_http_is_not_sent_in_production(settings, receiver):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    delivery = make_delivery(make_endpoint(receiver.url))

    assert services.delivery_send(delivery_id=delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert delivery.last_error == HTTPS_ONLY and receiver.received == []


def test_a_redirect_to_a_private_address_is_not_followed(settings, receiver):
    settings.WEBHOOKS_ALLOW_HTTP = settings.WEBHOOKS_ALLOW_PRIVATE = True  # to reach it at all
    internal = f"http://127.0.0.1:{receiver.port}/internal"
    receiver.script = [Reply(302, headers={"Location": internal})]
    delivery = make_delivery(make_endpoint(receiver.url))

    assert services.delivery_send(delivery_id=delivery.pk) == "retry"

    assert [r.path for r in receiver.received] == ["/hook"]
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.last_status_code == 302
    assert delivery.last_error.startswith("Redirection refusée")
