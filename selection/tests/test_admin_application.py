"""The partners' part of the application's admin page: shown once a partner has seen or
judged the application, and costing no query before."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review.roles import REVIEWERS
from selection.models import PartnerOpinion
from selection.tests.conftest import partner_link
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(client):
    user = UserFactory(email="rev@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    client.force_login(user)
    return user


def page(client, application):
    url = reverse("admin:applications_application_change", args=[application.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_no_partner_tables_nor_their_queries_before_a_partner_came(client, reviewer, candidate):
    html, queries = page(client, candidate)

    assert "avis des partenaires" not in html.lower()
    assert "consultations par des partenaires" not in html.lower()
    # (the application's own query tells whether there are any: EXISTS, in its columns)
    assert not [sql for sql in queries if sql.startswith('SELECT "selection_partner')]


def test_a_partner_s_opinion_shows_its_table(client, reviewer, candidate):
    link = partner_link(candidate.mission, organisation="COMDEV Africa")
    PartnerOpinion.objects.create(link=link, application=candidate, verdict="reserved")

    html, queries = page(client, candidate)

    assert [sql for sql in queries if sql.startswith('SELECT "selection_partneropinion"')]
    assert "avis des partenaires" in html.lower()
    assert "COMDEV Africa" in html
    assert "consultations par des partenaires" not in html.lower()
