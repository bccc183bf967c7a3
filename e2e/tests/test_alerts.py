"""Mission alerts end to end in a real browser: an anonymous visitor filters the catalogue,
creates an alert, confirms it from the e-mail that reaches aiosmtpd through the real worker;
a new matching mission is published, the digest task runs, the digest arrives with its
one-click unsubscribe, and a mail client's POST unsubscribes at once."""

import re

import pytest
from playwright.sync_api import Page, expect

from alerts.models import Alert
from alerts.tasks import send_alert_digests
from e2e.helpers import dakar_mission, open_mission
from e2e.tests.test_interviews import mail_to
from missions.models import Mission
from missions.services import missions_set_status
from volunteers.tests.factories import UserFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.real_clock,
    pytest.mark.django_db(transaction=True),
]


def test_a_visitor_creates_an_alert_confirms_it_gets_the_digest_and_unsubscribes_in_one_click(
    page: Page, live_server, settings, celery_worker, smtp_server, shoot
):
    settings.SITE_URL = live_server.url  # the links written in the e-mails
    dakar_mission()  # already published: never in a digest
    open_mission(reference="3S7001", host_country="TG", city="Lomé", time_zone="Africa/Lome")

    # The visitor filters the catalogue and creates an alert for that search.
    page.goto("/missions/")
    page.get_by_label("Pays").select_option(label="Sénégal")
    page.get_by_role("button", name="Filtrer", exact=True).click()
    page.get_by_role("link", name="Créer une alerte pour cette recherche").click()
    expect(page.get_by_label("Pays")).to_have_value("SN")
    page.get_by_label("Votre adresse e-mail").fill("awa@example.org")
    page.get_by_label("Chaque jour").check()
    page.get_by_role("button", name="Créer l'alerte").click()
    expect(page.get_by_role("status")).to_contain_text("un lien de confirmation")
    assert Alert.objects.get().state == Alert.State.PENDING

    # The link of the e-mail shows a button; the alert is active once it is pressed.
    confirmation = mail_to(smtp_server, "awa@example.org", "Confirmez votre alerte")
    [url] = re.findall(
        r"https?://\S+/alertes/confirmer/\S+/", confirmation.get_body(("plain",)).get_content()
    )
    page.goto(url)
    page.get_by_role("button", name="Activer l'alerte").click()
    expect(page.get_by_role("status")).to_contain_text("Votre alerte est active")
    shoot(page, "confirmed")

    # Staff publish a new mission in Senegal (and one elsewhere); beat's task runs.
    staff = UserFactory(email="rh@example.org", is_staff=True)
    dakar_mission(reference="3S9002", title="Appui aux coopératives agricoles", status="draft")
    open_mission(reference="3S7002", host_country="TG", status="draft", time_zone="Africa/Lome")
    drafts = Mission.objects.filter(reference__in=["3S9002", "3S7002"])
    missions_set_status(missions=drafts, status="published", acting_user=staff)
    assert send_alert_digests() == 1

    digest = mail_to(smtp_server, "awa@example.org", "nouvelle mission pour votre alerte")
    text = digest.get_body(("plain",)).get_content()
    assert "3S9002 – Appui aux coopératives agricoles" in text
    assert "3S9001" not in text and "3S7002" not in text
    assert "/missions/3S9002/?source=alert" in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", digest["List-Unsubscribe"].strip()).group(1)

    # The mail client's one-click POST (no CSRF token) unsubscribes at once.
    answer = page.context.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert answer.status == 200
    assert Alert.objects.get().state == Alert.State.UNSUBSCRIBED
    page.goto(unsubscribe)
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déjà désabonné·e")
