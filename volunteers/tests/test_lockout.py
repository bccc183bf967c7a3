"""Sign-in attempts stay limited with the cache down: django-axes keeps them in the database,
and allauth counts the tries of a code in the session."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from testing.outbox import deliver_outbox
from volunteers.tests.factories import UserFactory
from volunteers.tests.test_accounts import PASSWORD, code_in

pytestmark = pytest.mark.django_db

LOCKED = "Trop de tentatives de connexion à ce compte : réessayez dans 15 minutes."
WRONG = "adresse e-mail ou le mot de passe sont incorrects."


@pytest.fixture
def cache_down(redis_cache):
    """The production cache, its Redis stopped: the cache's rate limits fail open."""
    redis_cache.stop()
    cache.set("anything", 1)
    assert cache.get("anything") is None  # nothing is kept
    return redis_cache


def sign_in(client: Client, password: str):
    return client.post("/accounts/login/", {"login": "target@example.org", "password": password})


def test_five_failed_sign_ins_lock_that_account_from_that_address(cache_down, time_machine):
    UserFactory(email="target@example.org")  # its password: PASSWORD
    time_machine.move_to(timezone.now(), tick=False)
    attacker = Client(REMOTE_ADDR="203.0.113.7")

    for _ in range(4):
        refused = sign_in(attacker, "wrong")
        assert refused.status_code == 200 and WRONG in refused.content.decode()
    fifth = sign_in(attacker, "wrong")
    locked = sign_in(attacker, PASSWORD)  # even the right password

    assert (fifth.status_code, locked.status_code) == (429, 429)
    assert LOCKED in fifth.content.decode() and LOCKED in locked.content.decode()
    assert "_auth_user_id" not in attacker.session
    (attempt,) = AccessAttempt.objects.all()
    assert (attempt.username, attempt.ip_address) == ("target@example.org", "203.0.113.7")
    # The owner, from their own address, is not locked out by someone else's guesses…
    owner = Client(REMOTE_ADDR="198.51.100.4")
    assert sign_in(owner, PASSWORD).status_code == 302
    # …and the attacker's address may try again once the cool-off is over.
    time_machine.shift(dt.timedelta(minutes=16))
    assert sign_in(attacker, PASSWORD).status_code == 302


def test_the_lockout_page_speaks_english_under_en(cache_down):
    UserFactory(email="target@example.org")  # its password: PASSWORD
    client = Client()
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": "target@example.org", "password": "x"})

    locked = client.post("/en/accounts/login/", {"login": "Target@Example.org", "password": "x"})

    assert locked.status_code == 429
    assert "Too many sign-in attempts for this account: try again in 15 minutes." in (
        locked.content.decode()
    )


def test_a_login_code_allows_three_tries_with_the_cache_down(cache_down, mail_via_smtp):
    UserFactory(email="target@example.org")
    client = Client()
    confirm = client.post("/accounts/login/code/", {"email": "target@example.org"})["Location"]
    deliver_outbox()
    code = code_in(mail_via_smtp.last_to("target@example.org"))

    answers = [client.post(confirm, {"code": "WRONG-CODE"}) for _ in range(3)]
    late = client.post(confirm, {"code": code}, follow=True)

    assert [a.status_code for a in answers] == [200, 200, 302]  # the third ends the code
    assert "_auth_user_id" not in client.session
    assert re.search(r"/accounts/login/", late.redirect_chain[-1][0])
