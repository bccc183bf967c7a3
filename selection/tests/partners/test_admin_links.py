"""Staff create a partner link in the admin (sent through the outbox), are refused clearly
when the form is wrong, revoke links and send them again; and the token never reaches a log."""

import hashlib
import io
import logging

import pytest
from django.utils import timezone

from notifications.models import OutboxMessage
from selection.models import PartnerLink
from selection.tests.partners.conftest import make_link

pytestmark = pytest.mark.django_db

ADD = "/admin/selection/partnerlink/add/"
CHANGELIST = "/admin/selection/partnerlink/"


def form(mission, **changes):
    return {
        "mission": mission.pk,
        "organisation": "ESS France Outre-mer",
        "person": "Marie Payet",
        "email": "marie@essfom.example.org",
        "language": "fr",
        "days": "14",
        "scope": "shortlist",
        "hide_birth_date": "on",
        "hide_contact": "on",
        **changes,
    }


def test_staff_create_a_link_that_is_sent_with_its_expiry_and_redactions(
    client, mission, manager, shortlisted
):
    client.force_login(manager)

    response = client.post(ADD, form(mission), follow=True)

    assert response.status_code == 200
    assert "Le lien est envoyé à marie@essfom.example.org" in response.content.decode()
    link = PartnerLink.objects.get()
    assert (link.created_by, link.hide_birth_date, link.hide_nationality) == (manager, True, False)
    assert link.expires_at == pytest.approx(
        timezone.now() + timezone.timedelta(days=14), abs=timezone.timedelta(minutes=1)
    )
    message = OutboxMessage.objects.get(template="partner_link")
    assert message.to == "marie@essfom.example.org"
    token = message.context["url"].rstrip("/").rsplit("/", 1)[-1]
    assert hashlib.sha256(token.encode()).hexdigest() == link.token_hash


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"days": "61"}, "days", "Un lien vaut 60 jours au plus."),
        ({"days": "0"}, "days", "Un lien vaut au moins un jour."),
        ({"scope": "chosen"}, "applications", "Choisissez au moins une candidature."),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide."),
    ],
)
def test_a_wrong_form_is_refused_clearly_and_keeps_what_was_typed(
    client, mission, manager, changes, field, message
):
    client.force_login(manager)

    response = client.post(ADD, form(mission, **changes))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors[field] == [message]
    assert 'value="Marie Payet"' in response.content.decode()
    assert not PartnerLink.objects.exists() and not OutboxMessage.objects.exists()


def test_an_application_of_another_mission_cannot_be_chosen(client, mission, manager):
    from applications.tests.factories import submitted
    from missions.tests.factories import MissionFactory

    stranger = submitted(MissionFactory(reference="AUTRE1"))
    client.force_login(manager)

    response = client.post(ADD, form(mission, scope="chosen", applications=[stranger.pk]))

    errors = response.context["adminform"].form.errors["applications"]
    assert errors == [f"Candidatures non envoyées à cette mission : {stranger.reference}."]


def test_revoking_and_sending_again_from_the_list(client, mission, manager, shortlisted):
    revoked, revoked_token = make_link(mission, manager)
    renewed, old_token = make_link(mission, manager, email="autre@example.org")
    client.force_login(manager)

    client.post(CHANGELIST, {"action": "revoke", "_selected_action": [revoked.pk]})
    done = client.post(
        CHANGELIST,
        {"action": "send_again", "_selected_action": [renewed.pk, revoked.pk]},
        follow=True,
    )

    assert "1 nouveau lien envoyé." in done.content.decode()
    assert client.get(f"/partenaires/{revoked_token}/").status_code == 410
    assert client.get(f"/partenaires/{old_token}/").status_code == 404
    assert OutboxMessage.objects.filter(key__startswith=f"partner-link:{renewed.pk}:").count() == 2


def test_the_request_log_masks_the_token_of_a_410_and_a_404(client, link_and_token):
    link, token = link_and_token
    link.revoked_at = timezone.now()
    link.save()
    # The console handler of settings.LOGGING, as deployed, written to a buffer here.
    (console,) = [handler for handler in logging.getLogger().handlers if handler.name == "console"]
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        assert client.get(f"/partenaires/{token}/").status_code == 410
        assert client.get(f"/en/partenaires/{token[:20]}/candidats/X/").status_code == 404
    finally:
        console.setStream(previous)

    logged = written.getvalue()
    assert "Gone: /partenaires/[masqué]/" in logged
    assert "Not Found: /en/partenaires/[masqué]/candidats/X/" in logged
    assert token[:20] not in logged
