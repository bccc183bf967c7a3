"""RFC 8058 one-click unsubscribe, tampered and replayed links, and the manage pages."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.models import Alert
from alerts.tests.factories import confirmed_alert, published_mission
from notifications.models import OutboxMessage
from testing.outbox import deliver_outbox
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def digest_links(alert: Alert) -> tuple[str, str]:
    """The unsubscribe and manage paths of the alert's digest."""
    published_mission()
    services.alerts_send_digests(now=timezone.now())
    message = OutboxMessage.objects.get(template="alert_digest", to=alert.email)
    strip = lambda url: re.sub(r"^https?://[^/]+", "", url)  # noqa: E731
    return strip(message.context["unsubscribe_url"]), strip(message.context["manage_url"])


def test_the_digest_reaches_the_smtp_server_with_the_one_click_headers(mail_via_smtp, settings):
    settings.SITE_URL = "https://volontiers.example.org"
    alert = confirmed_alert()
    unsubscribe, _manage = digest_links(alert)

    deliver_outbox()

    (received,) = [m for m in mail_via_smtp.messages if "nouvelle mission" in m["Subject"]]
    assert received["List-Unsubscribe"].strip() == f"<https://volontiers.example.org{unsubscribe}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["Subject"].strip() == "1 nouvelle mission pour votre alerte"
    text = received.get_body(("plain",)).get_content()
    assert "?source=alert" in text and unsubscribe in text


def test_a_mail_clients_one_click_post_without_csrf_token_unsubscribes_at_once():
    alert = confirmed_alert()
    unsubscribe, _manage = digest_links(alert)
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Vous êtes désabonné·e" in response.content.decode()
    alert.refresh_from_db()
    assert alert.state == "unsubscribed" and alert.unsubscribed_at is not None


def test_the_link_opened_shows_a_one_button_form_and_changes_nothing(client):
    alert = confirmed_alert()
    unsubscribe, _manage = digest_links(alert)

    response = client.get(unsubscribe)

    html = response.content.decode()
    assert response.status_code == 200 and "Me désabonner" in html
    assert response["Cache-Control"] == "private, no-store"
    alert.refresh_from_db()
    assert alert.state == "active"


def test_a_replayed_link_says_already_unsubscribed_without_error(client):
    alert = confirmed_alert()
    unsubscribe, _manage = digest_links(alert)
    client.post(unsubscribe)

    again = client.post(unsubscribe)

    assert again.status_code == 200
    assert "Vous êtes déjà désabonné·e de cette alerte" in again.content.decode()


@pytest.mark.parametrize(
    "path", ["/alertes/desabonner/{}/", "/alertes/gerer/{}/", "/alertes/confirmer/{}/"]
)
def test_a_tampered_link_gives_a_clear_404_and_changes_nothing(client, path):
    alert = confirmed_alert()
    unsubscribe, _manage = digest_links(alert)
    token = unsubscribe.rstrip("/").rsplit("/", 1)[1]

    response = client.post(path.format(token[:-1] + ("A" if token[-1] != "A" else "B")))

    assert response.status_code == 404
    assert "Ce lien ne correspond à aucune alerte" in response.content.decode()
    alert.refresh_from_db()
    assert alert.state == "active"


def test_the_manage_page_changes_a_frequency_deletes_one_and_stops_them_all(client):
    first = confirmed_alert(country="BJ")
    second = confirmed_alert(country="SN")
    other = confirmed_alert("kofi@example.org")
    _unsubscribe, manage = digest_links(first)

    page = client.get(manage).content.decode()
    assert "Bénin" in page and "Sénégal" in page and "kofi" not in page

    client.post(manage, {"action": "frequency", "alert": first.pk, "frequency": "weekly"})
    first.refresh_from_db()
    assert first.frequency == "weekly"
    assert (
        client.post(manage, {"action": "delete", "alert": other.pk}).status_code == 400
    )  # not theirs
    client.post(manage, {"action": "delete", "alert": second.pk})
    assert not Alert.objects.filter(pk=second.pk).exists()
    followed = client.post(manage, {"action": "unsubscribe_all"}, follow=True)
    assert "Vous ne recevrez plus aucune alerte." in followed.content.decode()
    assert list(Alert.objects.values_list("email", "state").order_by("email")) == [
        ("awa@example.org", "unsubscribed"),
        ("kofi@example.org", "active"),
    ]


def test_a_signed_in_person_manages_their_alerts_from_me(client):
    user = UserFactory(email="awa@example.org")
    confirmed_alert(country="BJ")
    client.force_login(user)

    assert "/alertes/" in client.get("/me/").content.decode()
    assert "Bénin" in client.get("/alertes/").content.decode()


def test_the_manage_page_of_a_signed_out_visitor_asks_to_sign_in(client):
    assert client.get("/alertes/").status_code == 302
