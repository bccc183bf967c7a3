import datetime as dt
import re

import pytest
from django.utils import timezone

from applications.models import Stage
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from review.roles import MANAGERS
from review.tests.factories import staff
from selection import links
from selection.models import PartnerLink
from testing.outbox import deliver_outbox
from volunteers.tests.factories import VolunteerFactory


@pytest.fixture
def mission():
    return MissionFactory(
        reference="CSL1", title="Chargé·e de coopération", contact_email="recrutement@example.org"
    )


@pytest.fixture
def manager():
    return staff(MANAGERS, "manager@example.org")


@pytest.fixture
def shortlisted(mission):
    volunteer = VolunteerFactory(
        first_name="Awa", last_name="Ndiaye", user__email="awa.ndiaye@example.org", birth_date=dt.date(1996, 3, 14),
        nationalities=["FR", "SN"], residence="BE", phone="+33612345678",
    )  # fmt: skip
    return submitted(mission, volunteer, stage=Stage.SHORTLISTED)


@pytest.fixture
def not_shortlisted(mission):
    return submitted(mission, VolunteerFactory(first_name="Jean", last_name="Outofscope"))


def make_link(mission, manager, **fields) -> tuple[PartnerLink, str]:
    defaults = {
        "organisation": "COMDEV Africa",
        "person": "Kofi Mensah",
        "email": "kofi@comdev.example.org",
        "expires_at": timezone.now() + dt.timedelta(days=14),
        "created_by": manager,
    }
    link = PartnerLink(mission=mission, **{**defaults, **fields})
    token = links.link_create(link, [], now=timezone.now())
    return link, token


@pytest.fixture
def link_and_token(mission, manager, shortlisted, not_shortlisted):
    return make_link(mission, manager)


def code_from_mail(smtp_server) -> str:
    deliver_outbox()
    body = smtp_server.messages[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"\b(\d{6})\b", body).group(1)


def opened(client, token, smtp_server):
    """The partner's browser, past the code step."""
    home = f"/partenaires/{token}/"
    assert client.post(home, {"action": "send"}).status_code == 302
    response = client.post(home, {"action": "verify", "code": code_from_mail(smtp_server)})
    assert response.status_code == 302 and response["Location"] == home
    return client
