"""Signing up from the catalogue: the form carries the filters, a double opt-in by e-mail,
one confirmation e-mail per address and day, a rate limit, errors that say what to do."""

import re

import pytest
from django.utils import timezone

from alerts import services
from alerts.models import Alert
from missions.tests.factories import MissionFactory, ProgrammeFactory
from notifications.models import OutboxMessage
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "/alertes/nouvelle/"
VALID = {"email": "awa@example.org", "country": "BJ", "q": "élevage", "frequency": "daily"}


def confirmations() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="alert_confirmation"))


def confirm_path(message: OutboxMessage) -> str:
    return re.sub(r"^https?://[^/]+", "", message.context["url"])


def test_the_catalogue_links_to_an_alert_form_carrying_its_valid_filters(client):
    MissionFactory(host_country="BJ")
    ProgrammeFactory(slug="pvd")

    html = client.get(
        "/missions/", {"country": "BJ", "q": "élevage", "framework": "nope", "open_only": "on"}
    ).content.decode()

    assert "Créer une alerte pour cette recherche" in html
    assert 'href="/alertes/nouvelle/?q=%C3%A9levage&amp;country=BJ"' in html  # the bad one left out
    form = client.get(f"{NEW}?q=%C3%A9levage&country=BJ").content.decode()
    assert 'value="élevage"' in form and '<option value="BJ" selected>' in form


def test_a_signed_in_persons_address_is_filled_in_and_the_alert_is_theirs(client):
    user = UserFactory(email="awa@example.org")
    client.force_login(user)

    assert 'value="awa@example.org"' in client.get(NEW).content.decode()
    client.post(NEW, VALID)
    assert Alert.objects.get().user == user


def test_the_alert_is_inactive_until_the_link_of_the_email_is_confirmed_by_a_post(client):
    response = client.post(NEW, VALID)

    assert response.status_code == 200
    assert "un lien de confirmation vient de lui être envoyé" in response.content.decode()
    alert = Alert.objects.get()
    assert (alert.state, alert.language, alert.country, alert.words) == (
        "pending",
        "fr",
        "BJ",
        "élevage",
    )
    (message,) = confirmations()
    assert message.to == "awa@example.org" and message.language == "fr"
    path = confirm_path(message)
    page = client.get(path)  # a mail scanner opening the link
    assert page.status_code == 200 and "Activer l'alerte" in page.content.decode()
    alert.refresh_from_db()
    assert alert.state == "pending"

    done = client.post(path)

    assert "Votre alerte est active" in done.content.decode()
    alert.refresh_from_db()
    assert alert.state == "active" and alert.confirmed_at is not None
    assert "Cette alerte est déjà active." in client.post(path).content.decode()


def test_an_english_visitor_gets_an_english_alert(client):
    client.post("/en" + NEW, VALID)

    assert Alert.objects.get().language == "en"
    assert confirmations()[0].context["url"].split("/")[3] == "en"


def test_no_second_confirmation_email_to_an_unconfirmed_address_within_a_day(client, time_machine):
    first = client.post(NEW, VALID)
    second = client.post(NEW, {**VALID, "email": "AWA@example.org", "country": "TG"})

    assert second.status_code == 200  # the same answer, for the address typed
    assert second.content.decode().lower() == first.content.decode().lower()
    assert len(confirmations()) == 1 and Alert.objects.count() == 1

    time_machine.shift(timezone.timedelta(days=1, minutes=1))
    client.post(NEW, VALID)
    assert len(confirmations()) == 2


def test_sign_ups_are_rate_limited_per_client_address(client, settings):
    settings.ALERTS_SIGNUP_RATE = "3/h"
    statuses = [
        client.post(NEW, {**VALID, "email": f"bot{i}@example.org"}).status_code for i in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    last = client.post(NEW, {**VALID, "email": "bot9@example.org"})
    assert "Trop de tentatives en peu de temps" in last.content.decode()
    assert len(confirmations()) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "awa@"},
            "Cette adresse e-mail n&#x27;est pas valide : vérifiez-la (exemple : nom@exemple.org).",
        ),
        ({"email": ""}, "Indiquez votre adresse e-mail."),
        ({"country": "ZZ"}, "Ce pays est inconnu : choisissez un pays de la liste."),
        (
            {"programme": "nope"},
            "Ce programme n&#x27;existe pas : choisissez un programme de la liste.",
        ),
        ({"framework": "nope"}, "Choisissez un cadre de la liste."),
        ({"frequency": "hourly"}, "Choisissez l&#x27;une des fréquences proposées."),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_what_was_typed_is_kept(
    client, data, message
):
    response = client.post(NEW, {**VALID, **data})

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'value="élevage"' in html  # the rest kept
    assert Alert.objects.count() == 0 and confirmations() == []


def test_bad_input_is_refused_in_english_on_the_english_page(client):
    # The catalogue's own field and message, already in the English catalogue (the alerts'
    # new messages get theirs when the lead fills the catalogues).
    response = client.post("/en" + NEW, {**VALID, "programme": "nope", "q": "farming"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "This programme does not exist: choose a programme from the list." in html
    assert 'value="farming"' in html


def test_a_country_with_no_mission_yet_may_be_watched(client):
    assert client.post(NEW, {**VALID, "country": "TG"}).status_code == 200
    assert Alert.objects.get().country == "TG"


def test_the_service_ignores_a_second_sign_up_silently():
    now = timezone.now()
    args = {
        "email": "awa@example.org",
        "search": {},
        "frequency": "weekly",
        "language": "fr",
        "user": None,
        "now": now,
    }

    assert services.alert_subscribe(**args) is not None
    assert services.alert_subscribe(**args) is None
