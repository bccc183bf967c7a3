import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from missions.models import Mission, Partner
from missions.tests.factories import MissionFactory, ProgrammeFactory
from testing.clock import days
from volunteers.models import User

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:missions_mission_changelist")


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser(email="staff@example.org", password="x"))
    return client


@pytest.fixture
def flawed():
    # Like 3S1284: applications close after the mission has started.
    return MissionFactory(reference="FLAWED1", deadline_date=days(248), start_date=days(187))


def test_changelist_filters_missions_with_data_quality_findings(staff_client, flawed):
    MissionFactory(reference="CLEAN1")

    issues = staff_client.get(CHANGELIST, {"quality": "issues"}).content.decode()
    clean = staff_client.get(CHANGELIST, {"quality": "clean"}).content.decode()

    assert "FLAWED1" in issues and "CLEAN1" not in issues
    assert "CLEAN1" in clean and "FLAWED1" not in clean
    assert "2 remarques" in issues  # after the start and after the training


def test_change_page_shows_the_findings(staff_client, flawed):
    url = reverse("admin:missions_mission_change", args=[flawed.pk])

    html = staff_client.get(url).content.decode()

    assert "La date limite de candidature tombe après le début de la mission." in html


def test_saving_a_mission_with_findings_warns_but_saves(staff_client, flawed):
    url = reverse("admin:missions_mission_change", args=[flawed.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "title_fr": "Nouveau titre",
            "excluded_nationalities": ["BJ"],
            "excluded_residences": ["BJ"],
            "programmes": [],
            "partners": [],
            "languages_required": '{"fr": "B2"}',
            "start_date": days(187).isoformat(),
            "deadline_date": days(248).isoformat(),
        }
    )
    for prefix in ("own_questions", "question_links", "training_sessions"):  # inlines, left empty
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = staff_client.post(url, data, follow=True)

    assert response.status_code == 200
    flawed.refresh_from_db()
    assert flawed.title == "Nouveau titre"
    messages = [str(m) for m in response.context["messages"]]
    assert any("après le début de la mission" in m for m in messages)


def test_status_actions_publish_close_and_archive(staff_client):
    missions = MissionFactory.create_batch(2, status=Mission.Status.DRAFT)
    ids = [str(m.pk) for m in missions]

    for action, status in (("publish", "published"), ("close", "closed"), ("archive", "archived")):
        staff_client.post(CHANGELIST, {"action": action, "_selected_action": ids})
        assert set(Mission.objects.values_list("status", flat=True)) == {status}

    history = LogEntry.objects.filter(object_id=str(missions[0].pk))
    assert history.count() == 3
    assert {entry.user.email for entry in history} == {"staff@example.org"}


def test_changelist_query_count_does_not_grow_with_missions(
    staff_client, django_assert_max_num_queries
):
    MissionFactory.create_batch(30)

    with django_assert_max_num_queries(12):
        response = staff_client.get(CHANGELIST)

    assert response.status_code == 200


def admin_form(client, url: str, **changes) -> dict:
    """The admin change form's current values, with some changed: what a save would post."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    return {**data, **changes}


def test_programmes_and_partners_renamed_in_the_admin_show_on_the_mission_page(
    staff_client, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(name="Ancien programme")
    partner = Partner.objects.create(slug="comdev", name="Ancien partenaire")
    mission = MissionFactory()
    mission.programmes.add(programme)
    mission.partners.add(partner)
    before = staff_client.get(mission.get_absolute_url()).content.decode()
    assert "Ancien programme" in before and "Ancien partenaire" in before  # the links are kept
    programme_url = reverse("admin:missions_programme_change", args=[programme.pk])
    partner_url = reverse("admin:missions_partner_change", args=[partner.pk])

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            programme_url, admin_form(staff_client, programme_url, name="V-Francophonie")
        )
        staff_client.post(partner_url, admin_form(staff_client, partner_url, name="COMDEV Africa"))

    after = staff_client.get(mission.get_absolute_url()).content.decode()
    assert " · V-Francophonie</p>" in after
    assert "<li>COMDEV Africa</li>" in after


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"host_country": "ES"}, "host_country",
         "Un VSI ne peut pas se dérouler dans un État membre de l&#x27;Union européenne"),
        ({"direction": "hosted_in_france", "host_country": "SN"}, "host_country",
         "Une mission d&#x27;accueil en France a la France pour pays d&#x27;accueil."),
        ({"volunteer_status": "vie", "direction": "hosted_in_france", "host_country": "FR"},
         "host_country", "Seule une mission de VSI peut accueillir un·e volontaire en France."),
        ({"volunteer_status": "vie", "duration_months": "4"}, "duration_months",
         "Une mission de Volontariat international en entreprise (VIE) dure de 6 à 24 mois"),
        ({"volunteer_status": "vie", "min_age": "29"}, "min_age",
         "Aucun âge ne satisfait à la fois le dispositif, les programmes et la mission : au moins 29 ans et au plus 28 ans."),
    ],
)  # fmt: skip
def test_contradictory_rules_are_not_published_and_nothing_typed_is_lost(
    staff_client, changes, field, message
):
    mission = MissionFactory(reference="BAD1", status=Mission.Status.DRAFT, title="Avant")
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    data = admin_form(staff_client, url, status="published", title_fr="Titre tapé", **changes)

    response = staff_client.post(url, data)

    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert message in response.content.decode()
    assert 'value="Titre tapé"' in response.content.decode()
    mission.refresh_from_db()
    assert (mission.status, mission.title) == ("draft", "Avant")


def test_a_programme_whose_ages_leave_nobody_is_refused_on_publishing(staff_client):
    mission = MissionFactory(reference="BAD2", status=Mission.Status.DRAFT)
    over_30 = ProgrammeFactory(slug="plus-de-30", min_age=31)
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    data = admin_form(staff_client, url, status="published", volunteer_status="service_civique",
                      duration_months="10", programmes=[over_30.pk])  # fmt: skip

    response = staff_client.post(url, data)

    assert list(response.context["adminform"].form.errors) == ["programmes"]
    assert "au moins 31 ans et au plus 30 ans" in response.content.decode()
    mission.refresh_from_db()
    assert mission.status == "draft" and not mission.programmes.exists()


def test_a_reciprocity_mission_in_france_publishes_and_the_bulk_action_refuses_spain(staff_client):
    lyon = MissionFactory(reference="LYON1", status=Mission.Status.DRAFT, host_country="FR",
                          direction="hosted_in_france", time_zone="Europe/Paris")  # fmt: skip
    madrid = MissionFactory(reference="MAD1", status=Mission.Status.DRAFT, host_country="ES")

    response = staff_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [lyon.pk, madrid.pk]}, follow=True
    )

    statuses = dict(Mission.objects.values_list("reference", "status"))
    assert statuses == {"LYON1": "published", "MAD1": "draft"}
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "MAD1" in messages and "Union européenne" in messages


def test_the_change_page_shows_the_frameworks_own_rules_and_what_is_to_confirm(staff_client):
    mission = MissionFactory(volunteer_status="vie")

    html = staff_client.get(
        reverse("admin:missions_mission_change", args=[mission.pk])
    ).content.decode()

    assert "Code du service national, art. L122-1 et suivants" in html
    assert (
        "<td>durée (mois)</td><td>6–24</td><td>Loi · Code du service national, art. L122-3</td>"
        in html
    )
    assert (
        "<td>âge maximum</td><td>28</td><td>Dispositif · Règle du dispositif, à confirmer</td>"
        in html
    )
