from collections.abc import Iterator

import pytest

from volunteers.models import User
from volunteers.tests.factories import UserFactory
from webhooks.events import Event
from webhooks.models import Delivery, Endpoint
from webhooks.tests.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def local_receivers(settings):
    """Let the webhooks reach the test's receiver on 127.0.0.1 over plain http. The SSRF
    tests do not use this: they run with both settings off."""
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 60


def make_endpoint(url: str, events: list[str] | None = None, **fields) -> Endpoint:
    creator = fields.pop("created_by", None) or (
        User.objects.filter(email="staff@example.org").first()
        or UserFactory(email="staff@example.org", is_staff=True)
    )
    return Endpoint.objects.create(
        name="Partenaire",
        url=url,
        events=events or list(Event.values),
        created_by=creator,
        **fields,
    )


def make_delivery(endpoint: Endpoint, **fields) -> Delivery:
    payload = {"reference": "3S1284", "title": "Chargé·e de développement", "status": "published"}
    return Delivery.objects.create(
        endpoint=endpoint, event=Event.MISSION_PUBLISHED, payload=payload, **fields
    )
