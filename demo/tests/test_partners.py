"""The demo's co-selection: a partner link on the coordinated mission (3S1329) with opinions
on its shortlist, made once; the reset removes it with the demo staff who made it."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from notifications.models import OutboxMessage
from selection.models import PartnerAccess, PartnerLink, PartnerOpinion

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_coordinated_mission_has_a_partner_link_with_opinions_made_once():
    first = demo()
    again = demo()

    link = PartnerLink.objects.get()
    assert (link.mission.reference, link.organisation) == ("3S1329", "COMDEV Africa")
    opinions = PartnerOpinion.objects.filter(link=link)
    assert opinions.count() >= 2
    assert {o.verdict for o in opinions} <= {"favourable", "reserved", "unfavourable"}
    assert PartnerAccess.objects.filter(link=link, action="viewed").count() == opinions.count()
    assert f"Partner opinions on 3S1329: {opinions.count()} given." in first
    assert "Partner opinions on 3S1329: 0 given." in again


@override_settings(DEBUG=True)
def test_with_staff_prints_a_working_partner_link_and_reset_removes_it(client):
    output = demo("--with-staff")
    line = next(row for row in output.splitlines() if row.startswith("A partner's review link"))
    path = line.split("http://127.0.0.1:8000", 1)[1]

    assert client.get(path).status_code == 200

    demo("--reset")
    assert not PartnerLink.objects.exists() and not PartnerOpinion.objects.exists()
    assert not OutboxMessage.objects.filter(to__startswith="kofi.mensah@").exists()
    assert client.get(path).status_code == 404
