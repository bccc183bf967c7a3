"""Accounts through the real allauth views, with e-mails read from a real SMTP server."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from testing.outbox import deliver_outbox
from volunteers.models import User
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105 -- a test account


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def delivered(smtp, address: str):
    """The last e-mail to an address, once the outbox has sent what it holds."""
    deliver_outbox()
    return smtp.last_to(address)


def code_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M)
    assert match, body
    return match.group(1)


def test_an_email_alone_creates_a_verified_account_signed_in_by_a_code(client, mail_via_smtp):
    response = client.post("/accounts/signup/", {"email": "awa@example.org"})
    assert response.status_code == 302

    message = delivered(mail_via_smtp, "awa@example.org")
    assert "testserver" not in message.get_body(preferencelist=("plain",)).get_content()
    code = code_in(message)
    response = client.post(response["Location"], {"code": code})

    assert response.status_code == 302
    user = User.objects.get(email="awa@example.org")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/me/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message_and_the_address_stays_unverified(
    client, mail_via_smtp
):
    response = client.post("/accounts/signup/", {"email": "awa@example.org"})

    page = client.post(response["Location"], {"code": "WRONG1"})

    assert page.status_code == 200
    assert "code" in page.content.decode().lower()
    assert not EmailAddress.objects.get(email="awa@example.org").verified


def test_sign_up_with_a_password_then_log_out_and_back_in(client, mail_via_smtp):
    response = client.post(
        "/accounts/signup/",
        {"email": "ines@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(
        response["Location"], {"code": code_in(delivered(mail_via_smtp, "ines@example.org"))}
    )

    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302
    response = client.post("/accounts/login/", {"login": "ines@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_a_returning_candidate_signs_in_with_a_code_sent_by_email(client, mail_via_smtp):
    UserFactory(email="moussa@example.org")

    response = client.post("/accounts/login/code/", {"email": "moussa@example.org"})
    code = code_in(delivered(mail_via_smtp, "moussa@example.org"))
    response = client.post(response["Location"], {"code": code})

    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_password_reset_sends_a_link_that_sets_a_new_password(client, mail_via_smtp):
    UserFactory(email="lea@example.org")

    client.post("/accounts/password/reset/", {"email": "lea@example.org"})
    body = (
        delivered(mail_via_smtp, "lea@example.org")
        .get_body(preferencelist=("plain",))
        .get_content()
    )
    link = re.search(r"http://127.0.0.1:8000(/accounts/password/reset/key/[^\s]+)", body)
    form_url = client.get(link.group(1)).headers["Location"]
    client.post(
        form_url, {"password1": "a brand new secret 42", "password2": "a brand new secret 42"}
    )

    signed_in = client.post(
        "/accounts/login/", {"login": "lea@example.org", "password": "a brand new secret 42"}
    )
    assert signed_in.status_code == 302 and client.get("/me/").status_code == 200


def test_repeated_failed_logins_are_stopped_with_a_clear_message(client):
    """The fifth failure locks the account from this address (django-axes, 429); allauth's
    own limit (in the cache) refuses the next try before any password is checked."""
    UserFactory(email="target@example.org")

    tries = [
        client.post("/accounts/login/", {"login": "target@example.org", "password": "wrong"})
        for _ in range(5)
    ]
    page = client.post("/accounts/login/", {"login": "target@example.org", "password": PASSWORD})

    assert [t.status_code for t in tries] == [200, 200, 200, 200, 429]
    assert "réessayez dans 15 minutes." in tries[-1].content.decode()
    assert page.status_code == 200
    assert "Trop de tentatives de connexion échouées." in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_up_in_a_loop_is_stopped_without_creating_more_accounts(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/m/ip"}
    for number in range(3):
        client.post("/accounts/signup/", {"email": f"bot{number}@example.org"})
        client.logout()

    page = client.post("/accounts/signup/", {"email": "bot3@example.org"})

    assert page.status_code == 429
    assert "Trop de tentatives" in page.content.decode()
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "bot0@example.org", "bot1@example.org", "bot2@example.org"
    ]  # fmt: skip


def test_password_reset_requests_for_one_address_are_limited(client, mail_via_smtp):
    UserFactory(email="target@example.org")
    for _ in range(5):
        client.post("/accounts/password/reset/", {"email": "target@example.org"})
        deliver_outbox()

    page = client.post("/accounts/password/reset/", {"email": "target@example.org"})

    assert page.status_code == 429
    assert "Trop de tentatives" in page.content.decode()
    assert len([m for m in mail_via_smtp.messages if "target@example.org" in m["To"]]) == 5


def test_account_pages_use_the_site_layout_in_french_and_english(client):
    french = client.get("/accounts/signup/").content.decode()
    english = client.get("/en/accounts/signup/").content.decode()

    assert 'href="#main"' in french and 'lang="fr"' in french
    assert "Inscription" in french
    assert 'lang="en"' in english and "Sign Up" in english
