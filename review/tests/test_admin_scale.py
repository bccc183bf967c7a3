"""The applications admin at a million applications (bench/admin_bench.py measures it): its
search through indexes with Django's own results, and the country filters' one query."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from applications.tests.factories import submitted
from review.admin import search
from review.roles import REVIEWERS
from review.tests.factories import staff
from review.tests.helpers import CHANGELIST, as_user
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(mission, application):
    """The application fixture's Ndiaye, and three more: one with the address ndiaye@…"""
    ndiaye_address = VolunteerFactory(last_name="Sow", first_name="Awa",
                                      user=UserFactory(email="awa.ndiaye@example.org"))  # fmt: skip
    for volunteer in (ndiaye_address, VolunteerFactory(last_name="Diallo", first_name="Moussa"),
                      VolunteerFactory(last_name="Ndiaye-Faye", first_name="Awa")):  # fmt: skip
        submitted(mission, volunteer)


def django_search(term: str) -> set[str]:
    """What Django's admin search over the four fields found (each word in one of them)."""
    found = Application.objects.submitted()
    for word in search.words(term):
        found = found.filter(
            Q(reference__icontains=word)
            | Q(volunteer__last_name__icontains=word)
            | Q(volunteer__first_name__icontains=word)
            | Q(volunteer__user__email__icontains=word)
        )
    return set(found.values_list("reference", flat=True))


@pytest.mark.parametrize("few", [0, 1, 2000])  # every word too common, some, none
@pytest.mark.parametrize(
    "term",
    ["ndiaye", "NDIAYE awa", "awa", "adm1-0002", "ADM1", "dm1-000", "example.org", "'Sow'",
     '"Ndiaye-Faye"', "diallo ADM1-0003", "nobody", "a_b", "100%"],
)  # fmt: skip
def test_the_search_finds_what_django_s_admin_search_found(candidates, monkeypatch, few, term):
    monkeypatch.setattr(search, "FEW", few)

    found = search.search(Application.objects.submitted(), term)

    assert set(found.values_list("reference", flat=True)) == django_search(term)


def test_a_rare_word_is_looked_up_once_then_no_candidate_is_joined(candidates):
    with CaptureQueriesContext(connection) as queries:
        found = search.search(Application.objects.submitted(), "Diallo")

    assert len(queries) == 1  # the lookup of the candidates and answers
    assert "volunteers_volunteer" not in str(found.query)  # their keys only
    assert list(found.values_list("volunteer__last_name", flat=True)) == ["Diallo"]


def test_the_country_filters_read_both_lists_in_one_query_of_the_candidates(client, candidates):
    as_user(client, staff(REVIEWERS, "rev@example.org"))

    with CaptureQueriesContext(connection) as queries:
        html = client.get(CHANGELIST).content.decode()

    distinct = [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]
    assert len(distinct) == 1 and "applications_application" not in distinct[0]
    nationality = html.split('data-filter-title="nationalité"')[1].split("</details>")[0]
    residence = html.split('data-filter-title="résidence"')[1].split("</details>")[0]
    assert "?nationality=SN" in nationality and "?residence=BE" in residence
    assert "?residence=SN" not in residence
    assert "ADM1-0001" in client.get(CHANGELIST, {"nationality": "SN"}).content.decode()


def test_the_chosen_mission_is_shown_from_the_page_s_rows_within_8_queries(client, candidates):
    from applications.models import Stage

    mission = Application.objects.get(reference="ADM1-0001").mission
    as_user(client, staff(REVIEWERS, "rev@example.org"))
    chosen = f'<option value="{mission.pk}" selected>ADM1 – '
    client.get(CHANGELIST)  # the filters' lists, cached for a few minutes

    with CaptureQueriesContext(connection) as queries:
        html = client.get(CHANGELIST, {"mission__id__exact": mission.pk}).content.decode()

    assert chosen in html
    assert len(queries) <= 8, [q["sql"][:80] for q in queries.captured_queries]
    by_id = '"missions_mission"."id" IN'
    assert not [q for q in queries.captured_queries if by_id in q["sql"]]
    # An empty page: the mission is read for the box.
    empty = {"mission__id__exact": mission.pk, "stage__exact": Stage.SELECTED}
    assert chosen in client.get(CHANGELIST, empty).content.decode()


def test_the_application_page_reads_its_mission_with_it(client, application):
    from django.urls import reverse

    as_user(client, staff(REVIEWERS, "rev@example.org"))
    url = reverse("admin:applications_application_change", args=[application.pk])

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    by_id = 'FROM "missions_mission" WHERE "missions_mission"."id" ='
    assert not [q["sql"] for q in queries.captured_queries if by_id in q["sql"]]
    assert client.get(reverse("admin:applications_application_change", args=[0])).status_code in {
        302,
        404,
    }
