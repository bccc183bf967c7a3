"""The dashboard's pages: who sees what, the filters and their errors, the CSV behind each
chart, the cache, and what a screen reader is given."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Stage
from applications.tests.factories import submitted
from missions.models import Event
from missions.tallies import local_day, tallies_add
from missions.tests.factories import MissionFactory
from review.roles import COORDINATORS, MANAGERS, REVIEWERS
from review.tests.factories import staff
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/dashboard/dashboard/"
COORDINATOR_URL = "/coordination/tableau-de-bord/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def missions():
    """Two missions with views and submissions of yesterday; a coordinator has the first."""
    mine, other = MissionFactory(reference="MINE1"), MissionFactory(reference="OTHER1")
    yesterday = local_day(timezone.now()) - dt.timedelta(days=1)
    tallies_add([
        (mine.pk, yesterday, Event.VIEW, "", 70), (other.pk, yesterday, Event.VIEW, "", 900),
        (mine.pk, yesterday, Event.SUBMITTED, "", 4), (other.pk, yesterday, Event.SUBMITTED, "", 40),
    ])  # fmt: skip
    coordinator = staff(COORDINATORS, "coord@example.org")
    mine.coordinators.add(coordinator)
    return {"mine": mine, "other": other, "coordinator": coordinator}


def views_shown(response) -> int:
    return response.context["figures"]["funnel"][0][2]


def test_a_recruitment_manager_sees_every_mission_and_the_outbox(client, missions):
    client.force_login(staff(MANAGERS, "manager@example.org"))

    response = client.get(ADMIN_URL)
    index = client.get("/admin/").content.decode()

    assert response.status_code == 200
    assert views_shown(response) == 970
    html = response.content.decode()
    assert "Du regard à la sélection" in html and "E-mails en échec" in html
    assert 'href="/admin/dashboard/dashboard/"' in index


def test_reviewers_and_visitors_do_not_see_it(client, missions):
    assert client.get(ADMIN_URL).status_code == 302  # to the sign-in page
    client.force_login(staff(REVIEWERS, "reviewer@example.org"))
    assert client.get(ADMIN_URL).status_code == 403


def test_a_coordinator_sees_their_missions_only_and_no_outbox(client, missions):
    client.force_login(missions["coordinator"])
    submitted(missions["mine"], stage=Stage.SHORTLISTED, stage_since=timezone.now())
    submitted(missions["other"], stage=Stage.SHORTLISTED, stage_since=timezone.now())

    response = client.get(COORDINATOR_URL)

    assert response.status_code == 200
    assert views_shown(response) == 70
    assert response.context["figures"]["outbox"] is None
    html = response.content.decode()
    assert "E-mails en échec" not in html
    assert 'href="/coordination/missions/MINE1/"' in html
    assert "OTHER1" not in html
    # Another mission given as a filter is refused, and the figures stay theirs.
    refused = client.get(COORDINATOR_URL, {"mission": missions["other"].pk})
    assert refused.context["form"].errors["mission"] == [
        "Cette mission n'est pas parmi les vôtres : choisissez-en une de la liste."
    ]
    assert views_shown(refused) == 70


def test_someone_coordinating_nothing_is_refused_and_staff_go_to_the_admin(client, missions):
    client.force_login(UserFactory(email="candidate@example.org"))
    assert client.get(COORDINATOR_URL).status_code == 403
    client.force_login(staff(MANAGERS, "manager@example.org"))
    assert client.get(COORDINATOR_URL)["Location"] == ADMIN_URL


def test_bad_filters_are_explained_and_kept_in_french_and_in_english(client, missions):
    client.force_login(missions["coordinator"])
    future = (local_day(timezone.now()) + dt.timedelta(days=3)).isoformat()

    french = client.get(COORDINATOR_URL, {"start": "2026-02-31", "end": future})
    english = client.get("/en" + COORDINATOR_URL, {"start": "2026-02-31", "end": future})

    page = french.content.decode()
    assert "Saisissez une date, par exemple 01/09/2026." in page
    assert "La période ne peut pas être dans le futur." in page
    assert 'value="2026-02-31"' in page and f'value="{future}"' in page
    assert "Enter a date, for example 09/01/2026." in english.content.decode()
    assert "The period cannot be in the future." in english.content.decode()
    # Meanwhile the default period applies: yesterday's counts are there.
    assert views_shown(french) == 70


def test_each_chart_has_its_data_as_csv(client, missions):
    client.force_login(missions["coordinator"])

    response = client.get(COORDINATOR_URL, {"csv": "funnel"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "tableau-de-bord-funnel-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Étape", "Nombre", "Par rapport à l'étape précédente"]
    assert rows[1] == ["Consultations", "70", ""]
    assert rows[5] == ["Candidatures envoyées", "4", "—"]  # no drafts counted: no rate
    assert client.get(COORDINATOR_URL, {"csv": "nothing"}).status_code == 404


def test_the_figures_are_computed_once_then_cached(client, missions):
    client.force_login(missions["coordinator"])
    client.get(COORDINATOR_URL)

    with CaptureQueriesContext(connection) as captured:
        again = client.get(COORDINATOR_URL)

    assert views_shown(again) == 70
    assert not [q for q in captured.captured_queries if "missions_tally" in q["sql"]]


def test_every_chart_is_an_image_with_a_title_a_summary_and_a_table(client, missions):
    client.force_login(staff(MANAGERS, "manager@example.org"))

    html = client.get(ADMIN_URL).content.decode()

    charts = re.findall(r'<svg class="dash-svg" role="img" aria-labelledby="([^"]+)"', html)
    assert len(charts) == 8
    assert len(set(charts)) == 8  # each its own: the template finds every chart by its name
    for labels in charts:
        for label in labels.split():
            assert f'id="{label}"' in html
    assert html.count("<details") == 8
    assert html.count("Télécharger les données (CSV)") >= 8
    # Numbers in the drawing are written the SVG way, whatever the language's decimal mark.
    assert not re.search(r'(?:x|y|width|height)="\d+,\d', html)


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        # Far in the past: refused, never an overflow.
        ({"end": "0001-01-20"}, {"end"}),
        ({"start": "0001-01-01", "end": "0001-01-02"}, {"start", "end"}),
        # Far in the future: both refused, the two-year limit not skipped.
        ({"start": "0002-01-01", "end": "2999-01-01"}, {"start", "end"}),
        ({"start": "1999-12-31"}, {"start"}),
    ],
)
def test_extreme_dates_are_refused_and_the_default_period_shown(client, missions, query, errors):
    client.force_login(missions["coordinator"])

    response = client.get(COORDINATOR_URL, query)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == errors
    assert len(response.context["figures"]["per_day"]) == 30
