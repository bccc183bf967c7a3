"""Partner review links: the token kept hashed, the code step, expiry, revocation, locking,
the scope, and every access logged."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from notifications.models import OutboxMessage
from selection.models import PartnerAccess, PartnerLink
from selection.tests.partners.conftest import code_from_mail, make_link, opened
from testing.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def actions(link):
    return list(
        PartnerAccess.objects.filter(link=link)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_the_token_is_256_bits_kept_only_hashed_and_its_email_forgets_it_once_sent(
    link_and_token, mail_via_smtp
):
    link, token = link_and_token
    assert len(token) == 43  # 32 bytes, base64url
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    message = OutboxMessage.objects.get(key__startswith=f"partner-link:{link.pk}:")
    assert token in message.context["url"]  # kept until the SMTP server has it

    assert deliver_outbox() == {"sent": 1}

    (received,) = mail_via_smtp.messages
    assert received["To"] == "kofi@comdev.example.org"
    assert (
        f"http://127.0.0.1:8000/partenaires/{token}/" in received.get_body(("plain",)).get_content()
    )
    message.refresh_from_db()
    assert message.state == "sent" and message.context["url"] == "—"
    stored = [str(v) for v in PartnerLink.objects.values().get(pk=link.pk).values()]
    stored += [str(v) for m in OutboxMessage.objects.values("key", "context") for v in m.values()]
    assert not any(token in value for value in stored)


def test_the_partner_opens_the_link_with_the_code_sent_to_its_address(
    client, link_and_token, mail_via_smtp, shortlisted, not_shortlisted
):
    link, token = link_and_token
    deliver_outbox()
    page = client.get(f"/partenaires/{token}/")
    assert page.status_code == 200
    assert "Recevoir un code à k•••@comdev.example.org" in page.content.decode()
    assert shortlisted.reference not in page.content.decode()  # nothing before the code

    opened(client, token, mail_via_smtp)

    home = client.get(f"/partenaires/{token}/").content.decode()
    assert shortlisted.reference in home and "Awa Ndiaye" in home
    assert not_shortlisted.reference not in home  # the scope: the shortlist
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    assert actions(link) == ["code_sent", "opened"]


def test_a_wrong_code_says_how_many_tries_are_left_and_the_fifth_locks_the_link_and_tells_staff(
    client, link_and_token, mail_via_smtp
):
    link, token = link_and_token
    home = f"/partenaires/{token}/"
    client.post(home, {"action": "send"})
    good = code_from_mail(mail_via_smtp)
    wrong = "000000" if good != "000000" else "111111"
    for left in (4, 3, 2, 1):
        response = client.post(home, {"action": "verify", "code": wrong})
        assert response.status_code == 400
        assert (
            f"Ce code n&#x27;est pas le bon. Essais restants : {left}." in response.content.decode()
        )

    locked = client.post(home, {"action": "verify", "code": wrong})

    assert locked.status_code == 410
    assert "verrouillé après trop de codes erronés" in locked.content.decode()
    # Even the right code no longer opens it; staff (its creator) are told.
    assert client.post(home, {"action": "verify", "code": good}).status_code == 410
    link.refresh_from_db()
    assert link.locked_at is not None
    warning = OutboxMessage.objects.get(key__startswith=f"partner-locked:{link.pk}:")
    assert warning.to == "manager@example.org"
    assert actions(link) == ["code_sent", *["code_failed"] * 5, "locked"]


def test_an_empty_code_and_a_code_asked_again_too_soon_are_refused_clearly(
    client, link_and_token, mail_via_smtp
):
    _link, token = link_and_token
    home = f"/partenaires/{token}/"
    empty = client.post(home, {"action": "verify", "code": ""})
    assert empty.status_code == 400
    assert "Saisissez le code à 6 chiffres reçu par e-mail." in empty.content.decode()
    not_asked = client.post(home, {"action": "verify", "code": "123456"})
    assert "Demandez d&#x27;abord un code" in not_asked.content.decode()

    client.post(home, {"action": "send"})
    again = client.post(home, {"action": "send"}, follow=True)

    assert "attendez une minute avant d&#x27;en demander un autre" in again.content.decode()
    assert OutboxMessage.objects.filter(template="partner_code").count() == 1


def test_a_code_expires_after_fifteen_minutes(client, link_and_token, mail_via_smtp, time_machine):
    _link, token = link_and_token
    home = f"/partenaires/{token}/"
    client.post(home, {"action": "send"})
    code = code_from_mail(mail_via_smtp)
    time_machine.shift(dt.timedelta(minutes=16))

    response = client.post(home, {"action": "verify", "code": code})

    assert response.status_code == 400
    assert "Ce code a expiré : demandez-en un nouveau." in response.content.decode()


def test_an_expired_link_answers_410_with_a_clear_page(client, link_and_token, time_machine):
    _link, token = link_and_token
    time_machine.shift(dt.timedelta(days=14, seconds=1))

    response = client.get(f"/partenaires/{token}/")

    assert response.status_code == 410
    body = response.content.decode()
    assert "Ce lien a expiré." in body and "recrutement@example.org" in body


def test_a_revoked_link_closes_even_an_open_session(
    client, link_and_token, mail_via_smtp, shortlisted
):
    link, token = link_and_token
    opened(client, token, mail_via_smtp)
    assert client.get(f"/partenaires/{token}/candidats/{shortlisted.reference}/").status_code == 200

    from selection import links

    links.link_revoke(link, now=timezone.now())

    for path in ("", f"candidats/{shortlisted.reference}/"):
        response = client.get(f"/partenaires/{token}/{path}")
        assert response.status_code == 410
        assert (
            "Ce lien a été révoqué par l&#x27;équipe de recrutement." in response.content.decode()
        )


@pytest.mark.parametrize("cut", [1, 10, 42])
def test_a_guessed_or_truncated_token_is_a_404(client, link_and_token, cut):
    _link, token = link_and_token
    assert client.get(f"/partenaires/{token[:cut]}/").status_code == 404
    assert client.get(f"/partenaires/{'A' * 43}/").status_code == 404


def test_a_link_sent_again_replaces_the_old_token(client, link_and_token):
    from selection import links

    link, old = link_and_token
    new = links.link_send(link, now=timezone.now())

    assert client.get(f"/partenaires/{old}/").status_code == 404
    assert client.get(f"/partenaires/{new}/").status_code == 200


def test_a_candidate_outside_the_scope_is_a_404_and_chosen_scope_shows_only_the_chosen(
    client, mission, manager, shortlisted, not_shortlisted, mail_via_smtp
):
    link, token = make_link(mission, manager, scope=PartnerLink.Scope.CHOSEN)
    link.applications.set([not_shortlisted])
    opened(client, token, mail_via_smtp)

    assert (
        client.get(f"/partenaires/{token}/candidats/{not_shortlisted.reference}/").status_code
        == 200
    )
    assert client.get(f"/partenaires/{token}/candidats/{shortlisted.reference}/").status_code == 404
    other = make_link(mission, manager, email="autre@example.org")[0]
    assert other.pk != link.pk  # another link's candidates are not this one's


def test_the_pages_need_the_code_even_with_the_token(client, link_and_token, shortlisted):
    _link, token = link_and_token
    response = client.get(f"/partenaires/{token}/candidats/{shortlisted.reference}/")
    assert response.status_code == 302 and response["Location"] == f"/partenaires/{token}/"


def test_a_new_code_cancels_the_one_still_waiting_and_blanks_it(
    client, link_and_token, time_machine
):
    _link, token = link_and_token
    home = f"/partenaires/{token}/"
    client.post(home, {"action": "send"})
    time_machine.shift(dt.timedelta(seconds=61))
    client.post(home, {"action": "send"})

    first, second = OutboxMessage.objects.filter(template="partner_code").order_by("pk")

    assert (first.state, first.context["code"]) == ("cancelled", "—")
    assert second.state == "pending" and second.context["code"].isdigit()


def test_a_link_email_refused_for_good_by_the_server_keeps_no_token(link_and_token, mail_via_smtp):
    _link, _token = link_and_token
    mail_via_smtp.handler.refuse_next, mail_via_smtp.handler.refusal = 1, "550 5.1.1 No such user"

    assert deliver_outbox() == {"failed": 1}

    message = OutboxMessage.objects.get(template="partner_link")
    assert message.state == "failed" and message.context["url"] == "—"
    assert mail_via_smtp.messages == []
