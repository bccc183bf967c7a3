"""The pages of a signed-in candidate: the mission page, with their verdict and their
application rendered on every request and the mission's shared parts kept under the missions
version (``missions.sections``), three queries in all; /me/ in five."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings

from applications.models import Stage
from applications.tests.factories import ApplicationFactory, submitted
from missions import cache as mission_cache
from missions.models import Mission
from missions.tests.factories import MissionFactory
from testing.clock import days
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    return MissionFactory(
        reference="DKR1",
        host_country="SN",
        summary="Appui aux coopératives.",
        deadline_date=days(40),
    )


@pytest.fixture
def candidate(client):
    volunteer = VolunteerFactory(user__email="awa@example.org")
    client.force_login(volunteer.user)
    return volunteer


def test_a_candidate_s_page_takes_three_queries_and_shows_their_draft(
    client, mission, candidate, django_assert_num_queries
):
    ApplicationFactory(volunteer=candidate, mission=mission, stage=Stage.DRAFT)
    client.get(mission.get_absolute_url())  # the mission and its shared parts are now kept

    # The account with its profile (the session is in the cache), the profile's languages
    # (for the verdict), the candidate's application to this mission.
    with django_assert_num_queries(3):
        response = client.get(mission.get_absolute_url())

    html = response.content.decode()
    assert response.context["verdict"].eligible
    assert "Vous avez commencé cette candidature : votre brouillon est enregistré." in html
    assert 'href="/missions/DKR1/apply/">Reprendre ma candidature</a>' in html
    assert "Postuler en ligne" not in html
    assert "Appui aux coopératives." in html


def test_a_sent_application_is_named_with_its_stage(client, mission, candidate):
    application = submitted(mission=mission, volunteer=candidate, stage=Stage.SHORTLISTED)

    html = client.get(mission.get_absolute_url()).content.decode()

    assert (
        f"Vous avez candidaté à cette mission (référence {application.reference}). "
        "Étape : Présélectionnée."
    ) in html
    assert 'href="/missions/DKR1/apply/">Voir ma candidature</a>' in html
    assert "Reprendre ma candidature" not in html


def test_a_candidate_without_an_application_is_offered_to_apply(client, mission, candidate):
    ApplicationFactory(volunteer=candidate, stage=Stage.DRAFT)  # to another mission

    html = client.get(mission.get_absolute_url()).content.decode()

    assert "Postuler en ligne" in html
    assert "Vous avez" not in html


def test_the_shared_parts_are_kept_until_the_missions_version_changes(client, mission, candidate):
    client.get(mission.get_absolute_url())
    # Changed without the services (a shell): the kept parts stay until the next version.
    Mission.objects.filter(pk=mission.pk).update(summary_fr="Appui aux maraîchers.")

    kept = client.get(mission.get_absolute_url()).content.decode()
    mission_cache.bump()  # what the admin and the services do on every change
    changed = client.get(mission.get_absolute_url()).content.decode()

    assert "Appui aux coopératives." in kept
    assert "Appui aux maraîchers." in changed
    assert "Appui aux coopératives." not in changed


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_without_the_page_cache_nothing_is_kept(client, mission, candidate):
    client.get(mission.get_absolute_url())
    Mission.objects.filter(pk=mission.pk).update(summary_fr="Appui aux maraîchers.")

    html = client.get(mission.get_absolute_url()).content.decode()

    assert "Appui aux maraîchers." in html


def test_each_language_keeps_its_own_parts(client, mission, candidate):
    Mission.objects.filter(pk=mission.pk).update(summary_en="Support to cooperatives.")
    mission_cache.bump()
    french = client.get("/missions/DKR1/").content.decode()

    english = client.get("/en/missions/DKR1/").content.decode()

    assert "Appui aux coopératives." in french
    assert "Support to cooperatives." in english
    assert "Support to cooperatives." not in french


def test_me_lists_five_applications_in_five_queries(
    client, mission, candidate, django_assert_num_queries
):
    for n in range(4):
        submitted(mission=MissionFactory(reference=f"ME{n}"), volunteer=candidate)
    ApplicationFactory(volunteer=candidate, mission=mission, stage=Stage.DRAFT)

    # The account with its profile, whether the coordination link shows (two), the
    # profile's languages, the applications with their missions.
    with django_assert_num_queries(5):
        html = client.get("/me/").content.decode()

    assert html.count("<tr>") == 6  # the header and five applications
    assert 'href="/missions/DKR1/apply/">Reprendre le brouillon</a>' in html
    assert "Coordination des missions" not in html


def test_me_links_to_coordination_for_a_coordinator_and_an_exporter(client, mission):
    coordinator, exporter, candidate = UserFactory.create_batch(3)
    mission.coordinators.add(coordinator)
    group = Group.objects.create(name="Exports")
    group.permissions.add(Permission.objects.get(codename="export_applications"))
    exporter.groups.add(group)
    seen = {}
    for name, user in [("coordinator", coordinator), ("exporter", exporter), ("other", candidate)]:
        client.force_login(user)
        seen[name] = "Coordination des missions" in client.get("/me/").content.decode()

    assert seen == {"coordinator": True, "exporter": True, "other": False}
