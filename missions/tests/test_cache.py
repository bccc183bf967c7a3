"""Anonymous public pages are cached per address and language, and dropped when a mission changes."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions import cache as cache_module
from missions import services
from missions.models import Mission
from missions.tests.factories import MissionFactory, ProgrammeFactory
from volunteers.models import User

pytestmark = pytest.mark.django_db


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return response, len(captured)


def test_a_second_anonymous_visit_is_served_from_the_cache(client):
    mission = MissionFactory(title="Première version")
    queries(client, mission.get_absolute_url())

    response, count = queries(client, mission.get_absolute_url())

    assert count == 0
    assert "Première version" in response.content.decode()


def test_french_and_english_pages_are_cached_apart(client):
    mission = MissionFactory()
    client.get(mission.get_absolute_url())

    english = client.get(f"/en/missions/{mission.reference}/").content.decode()

    assert 'lang="en"' in english


def test_changing_a_mission_in_the_admin_shows_at_once(client, django_capture_on_commit_callbacks):
    mission = MissionFactory(title="Avant")
    client.get("/missions/")
    staff = User.objects.create_superuser(email="staff@example.org", password="x")

    with django_capture_on_commit_callbacks(execute=True):
        services.missions_set_status(
            missions=Mission.objects.filter(pk=mission.pk), status="closed", acting_user=staff
        )

    assert "Candidatures closes" in client.get("/missions/").content.decode()


def test_signed_in_visitors_are_not_served_cached_pages(client):
    mission = MissionFactory()
    client.get(mission.get_absolute_url())
    client.force_login(User.objects.create_user(email="awa@example.org", password="x"))

    _, count = queries(client, mission.get_absolute_url())

    assert count > 0


def test_a_page_carrying_a_csrf_token_is_never_cached(client):
    mission = MissionFactory(host_country="SN")
    answers = {"nationality": "SN", "residence": "FR"}  # refused: the page offers the review form
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first = client.get(mission.get_absolute_url(), answers).content.decode()

    second = client.get(mission.get_absolute_url(), answers).content.decode()

    # Django masks the token afresh each time a page is rendered: a cached copy would repeat it.
    assert token.search(first)[1] != token.search(second)[1]


def test_ping_answers_without_the_database(client):
    response, count = queries(client, reverse("ping"))

    assert (response.status_code, response.content, count) == (200, b"ok", 0)


def test_a_cache_that_lost_everything_never_brings_back_a_page_a_worker_kept(client, time_machine):
    """Pages a worker keeps carry the version they were made under; a flushed or restarted
    cache starts from a version never used before, not from 1 again."""
    mission = MissionFactory(title="Avant")
    client.get(mission.get_absolute_url())  # kept by the shared cache and by this worker
    Mission.objects.filter(pk=mission.pk).update(title="Après")  # a change made in a shell
    cache.clear()  # Redis restarted
    time_machine.shift(dt.timedelta(seconds=1.5))  # the version this worker read is old now
    client.get("/missions/")  # another page: the cache has a version again

    assert "Après" in client.get(mission.get_absolute_url()).content.decode()


def test_a_change_made_in_another_worker_shows_here_within_a_second(client, time_machine):
    mission = MissionFactory(title="Avant")
    client.get(mission.get_absolute_url())
    client.get(mission.get_absolute_url())  # this worker keeps the page and the version
    Mission.objects.filter(pk=mission.pk).update(title="Après")
    cache.incr(cache_module.VERSION_KEY)  # what bump() does in the worker that made the change

    time_machine.shift(dt.timedelta(seconds=1.5))

    assert "Après" in client.get(mission.get_absolute_url()).content.decode()


def test_a_kept_value_is_computed_once_per_version_and_kept_once_whatever_the_changes():
    computed = []

    def compute():
        computed.append(len(computed) + 1)
        return computed[-1]

    assert cache_module.kept_value("test:value", compute) == 1
    assert cache_module.kept_value("test:value", compute) == 1  # kept: not computed again
    for _ in range(5):
        cache_module.bump()
        cache_module.kept_value("test:value", compute)

    assert computed == [1, 2, 3, 4, 5, 6]
    assert list(cache_module.kept) == ["test:value"]  # one copy, not one per version


def test_a_kept_value_is_trusted_for_a_minute_at_most(time_machine):
    values = iter(["avant", "après"])
    assert cache_module.kept_value("test:value", lambda: next(values)) == "avant"
    # A change that bumps nothing (a shell); the shared copy has expired too by then.
    cache.delete(f"test:value:{cache_module.version()}")
    time_machine.shift(dt.timedelta(seconds=cache_module.KEPT_SECONDS - 1))
    assert cache_module.kept_value("test:value", lambda: next(values)) == "avant"

    time_machine.shift(dt.timedelta(seconds=2))

    assert cache_module.kept_value("test:value", lambda: next(values)) == "après"


def test_without_the_cache_a_value_is_computed_every_time_and_never_kept(monkeypatch):
    monkeypatch.setattr(cache_module, "version", lambda: 0)  # the cache is unreachable
    values = iter(["première", "deuxième"])

    assert cache_module.kept_value("test:value", lambda: next(values)) == "première"
    assert cache_module.kept_value("test:value", lambda: next(values)) == "deuxième"
    assert cache_module.kept == {}


def test_loading_a_mission_whose_programmes_changed_refreshes_the_list(
    client, django_capture_on_commit_callbacks
):
    MissionFactory(reference="LOAD1")
    programme = ProgrammeFactory(slug="vfa", name="Volontariat franco-allemand")
    client.get("/missions/")  # the page and the programme names are kept
    record = {"reference": "LOAD1", "programmes": ["vfa"]}  # only the programmes change

    with django_capture_on_commit_callbacks(execute=True):
        services.mission_load(record=record, keep_dates_while_open=False)

    card = re.search(r"LOAD1 · [^<]*", client.get("/missions/").content.decode())
    assert card is not None and card.group().endswith(f" · {programme.name}")
