"""Invitations to apply, from the search page: pool members only, once per mission, each
e-mail in the outbox with the mission's link and the one-click leave link; the application's
admin page shows the invitation; the search needs its permission."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from applications.tests.factories import submitted
from missions.models import Mission
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review.tests.factories import staff
from talent.forms import SearchForm
from talent.invitations import InvitationError, invitations_send
from talent.models import Invitation
from talent.tests.conftest import applicant
from volunteers.pool import pool_leave_url, volunteer_from_leave_token

pytestmark = pytest.mark.django_db

SEARCH = "admin:talent_searchprofile_changelist"
INVITE = "admin:talent_searchprofile_invite"


@pytest.fixture
def target():
    return MissionFactory(reference="CIBLE1", title="Chargé·e d'appui aux éleveurs")


@pytest.fixture
def people(mission):
    return {
        "awa": applicant(mission, first_name="Awa", cv="élevage", pool=True),
        "ruth": applicant(
            mission, first_name="Ruth", cv="élevage", pool=True, preferred_language="en"
        ),
        "koffi": applicant(mission, first_name="Koffi", cv="élevage"),  # not in the pool
    }


def test_pool_members_get_an_email_with_the_mission_and_the_leave_link(target, people, manager):
    ids = [people["awa"].pk, people["ruth"].pk, people["koffi"].pk]
    invited = invitations_send(volunteer_ids=ids, mission=target, by=manager, now=timezone.now())
    assert (invited.sent, invited.already, invited.not_members) == (2, 0, 1)
    messages = {m.to: m for m in OutboxMessage.objects.filter(template="talent_invitation")}
    assert set(messages) == {"awa@example.org", "ruth@example.org"}
    awa, ruth = messages["awa@example.org"], messages["ruth@example.org"]
    assert awa.context["mission_url"].endswith("/missions/CIBLE1/?source=invitation")
    # The link's token is signed at sending (with the time of day): it names Awa.
    leave_prefix = f"{settings.SITE_URL}/me/vivier/quitter/"
    assert pool_leave_url(people["awa"]).startswith(leave_prefix)
    assert awa.context["leave_url"].startswith(leave_prefix)
    token = awa.context["leave_url"].removeprefix(leave_prefix).strip("/")
    assert volunteer_from_leave_token(token) == people["awa"]
    assert ruth.context["leave_url"].startswith(f"{settings.SITE_URL}/en/me/vivier/quitter/")
    assert (awa.language, ruth.language) == ("fr", "en")
    assert (
        ruth.context["mission_url"] == f"{settings.SITE_URL}/en/missions/CIBLE1/?source=invitation"
    )
    assert not Invitation.objects.filter(volunteer=people["koffi"]).exists()


def test_nobody_is_invited_twice_to_the_same_mission(target, people, manager):
    ids = [people["awa"].pk]
    invitations_send(volunteer_ids=ids, mission=target, by=manager, now=timezone.now())
    again = invitations_send(
        volunteer_ids=[*ids, people["ruth"].pk], mission=target, by=manager, now=timezone.now()
    )
    assert (again.sent, again.already) == (1, 1)
    assert Invitation.objects.filter(volunteer=people["awa"], mission=target).count() == 1
    assert OutboxMessage.objects.filter(to="awa@example.org").count() == 1


def test_a_closed_mission_is_not_offered(people, manager):
    closed = MissionFactory(status=Mission.Status.CLOSED)
    with pytest.raises(InvitationError):
        invitations_send(
            volunteer_ids=[people["awa"].pk], mission=closed, by=manager, now=timezone.now()
        )


def test_the_admin_invites_and_says_how_many(client, target, people, manager):
    client.force_login(manager)
    response = client.post(
        reverse(INVITE),
        {
            "mission": target.pk,
            "volunteers": [people["awa"].pk, people["koffi"].pk],
            "back": "?q=x",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?q=x")
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "1 invitation(s) envoyée(s)." in text
    assert "1 hors du vivier" in text
    again = client.post(reverse(INVITE), {"mission": target.pk, "volunteers": [people["awa"].pk]})
    assert "1 déjà invité(s) à cette mission" in client.get(again["Location"]).content.decode()


def test_the_search_page_shows_results_and_who_may_be_invited(client, target, people, manager):
    client.force_login(manager)
    response = client.get(reverse(SEARCH), {"q": "elevage", "target": target.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<mark>élevage</mark>" in text
    assert f'name="volunteers" value="{people["awa"].pk}"' in text
    assert f'name="volunteers" value="{people["koffi"].pk}"' not in text  # not in the pool


def test_the_application_page_shows_the_invitation(client, target, people, manager):
    invitations_send(
        volunteer_ids=[people["awa"].pk], mission=target, by=manager, now=timezone.now()
    )
    application = submitted(target, people["awa"])
    client.force_login(manager)
    response = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    assert response.status_code == 200
    assert "depuis la recherche dans le vivier" in response.content.decode()


def test_reviewers_search_but_do_not_invite(client, target, people, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse(SEARCH), {"target": target.pk}).status_code == 200
    response = client.post(reverse(INVITE), {"mission": target.pk, "volunteers": [1]})
    assert response.status_code == 403


def test_staff_without_the_permission_get_403(client):
    client.force_login(staff(None, "other@example.org"))
    assert client.get(reverse(SEARCH)).status_code == 403
    assert client.post(reverse(INVITE), {}).status_code == 403


def test_the_email_is_sent_with_both_links(target, people, manager, mailoutbox):
    from testing.outbox import deliver_outbox

    invitations_send(
        volunteer_ids=[people["awa"].pk], mission=target, by=manager, now=timezone.now()
    )
    deliver_outbox()
    (message,) = mailoutbox
    assert message.to == ["awa@example.org"]
    assert "CIBLE1" in message.subject
    assert "/missions/CIBLE1/?source=invitation" in message.body
    assert "Quittez le vivier en un clic" in message.body
    html = message.alternatives[0][0]
    assert "?source=invitation" in html
    leave_prefix = f"{settings.SITE_URL}/me/vivier/quitter/"
    (token,) = re.findall(re.escape(leave_prefix) + r"([^/\s]+)/", message.body)
    assert volunteer_from_leave_token(token) == people["awa"]  # signed at delivery
    # Once sent, the outbox keeps no working leave link.
    stored = OutboxMessage.objects.get(template="talent_invitation")
    assert "/me/vivier/quitter/" not in str(stored.context)


@pytest.mark.parametrize("count", [5, 25])
def test_the_search_page_costs_the_same_queries_for_5_and_25_results(
    client, mission, target, manager, count, django_assert_num_queries
):
    for n in range(count):
        applicant(mission, first_name=f"P{n}", cv="élevage", pool=n % 2 == 0)
    client.force_login(manager)
    # The same for 5 and 25 results: the user (the session is in the cache) and their
    # permissions (theirs, their groups'), the form (the target read, the open missions'
    # labels), the search (7 queries, the target's terms among them).
    with django_assert_num_queries(12):
        response = client.get(reverse(SEARCH), {"q": "elevage", "target": target.pk})
    assert response.content.decode().count("<mark>") >= count


def test_the_search_form_keeps_each_choice_and_names_missions_in_the_pages_language(
    client, manager
):
    """Its selects are written without templates (core.widgets): the same HTML, each choice
    kept after a search, the missions' labels read from their label columns, in the page's
    language."""
    chosen = MissionFactory(
        reference="CIBLE2", title_fr="Appui aux éleveurs", title_en="Herders' support"
    )
    client.force_login(manager)
    query = {"nationality": "SN", "regular_residence": "ML", "language1": "en", "level1": "B2"}
    query |= {"stage_reached": "shortlisted", "target": chosen.pk}

    html = client.get(reverse(SEARCH), query).content.decode()
    with translation.override("en"):
        english = str(SearchForm(query, now=timezone.now())["target"])

    assert html.count('<option value="SN" selected>') == 1  # nationality, not residence
    assert '<option value="ML" selected>' in html
    assert '<option value="en" selected>' in html and '<option value="B2" selected>' in html
    assert '<option value="shortlisted" selected>' in html
    assert f'<option value="{chosen.pk}" selected>CIBLE2 – Appui aux éleveurs</option>' in html
    assert f'<option value="{chosen.pk}" selected>CIBLE2 – Herders&#x27; support</option>' in (
        english
    )
    selects = re.findall(r'<select [^>]*id="(id_\w+)"', html)
    assert len(selects) == 10 and all(f'for="{id_}"' in html for id_ in selects)  # labelled
