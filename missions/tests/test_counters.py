"""Page views and eligibility verdicts: counted in the cache, never written per request, moved
to the database by the flush (beat's ``page-counters``), cached pages included."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from missions import counters
from missions.cache import forget_kept_pages
from missions.models import Event, Tally
from missions.tallies import local_day
from missions.tests.factories import MissionFactory
from missions.views import mission_detail
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def empty_counters(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    forget_kept_pages()
    counters.unsent.clear()
    counters.last_sent[0] = float("-inf")  # never: the first page hands its count over at once
    yield
    counters.unsent.clear()


def counted() -> dict[tuple[str, str], int]:
    counters.counters_flush(now=timezone.now())
    return {(t.event, t.detail): t.count for t in Tally.objects.all()}


def visit(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_views_are_counted_in_the_cache_and_written_by_the_flush_only(client):
    mission = MissionFactory(reference="CNT1")
    url = mission.get_absolute_url()

    first = visit(client, url)
    hits = [visit(client, url) for _ in range(4)]

    # Not one statement about the counts in the requests: the cached pages make no query at
    # all, the first one reads the mission as it did before counting existed.
    assert not any("tally" in sql.lower() for sql in first)
    assert hits == [[]] * 4
    assert Tally.objects.count() == 0
    assert counted() == {(Event.VIEW, ""): 5}
    assert counted() == {(Event.VIEW, ""): 5}  # a flush with nothing new adds nothing


def test_the_page_makes_as_many_queries_as_without_counting(client):
    mission = MissionFactory(reference="CNT2")
    with_counting = visit(client, mission.get_absolute_url())
    assert counted() == {(Event.VIEW, ""): 1}
    cache.clear()
    forget_kept_pages()  # rendered again, not served from the cache
    request = RequestFactory().get(mission.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    request.user = AnonymousUser()

    with CaptureQueriesContext(connection) as captured:
        mission_detail.__wrapped__(request, reference=mission.reference)  # not counted

    assert len(with_counting) == len(captured.captured_queries) == 5
    assert counted() == {(Event.VIEW, ""): 1}  # the view itself counts nothing


def test_eligibility_checks_count_by_outcome_and_rule_cached_or_not(client):
    mission = MissionFactory(reference="CNT3", host_country="SN", city="Dakar")
    url = mission.get_absolute_url()
    senegalese = {"nationality": "SN", "residence": "SN"}

    for _ in range(2):  # the second one from the page cache
        visit(client, url, **senegalese)
    visit(client, url, nationality="FR", residence="FR")

    assert counted() == {
        (Event.VIEW, ""): 3,
        (Event.CHECK, ""): 3,
        (Event.ELIGIBLE, ""): 1,
        (Event.REFUSED, "host_nationality"): 2,
        (Event.REFUSED, "host_residence"): 2,
    }


def test_a_signed_in_candidate_counts_one_check_a_day_and_a_view_each_time(client):
    mission = MissionFactory(reference="CNT4")
    volunteer = VolunteerFactory(nationalities=["FR"], residence="FR")
    client.force_login(volunteer.user)

    for _ in range(3):
        visit(client, mission.get_absolute_url())

    assert counted() == {(Event.VIEW, ""): 3, (Event.CHECK, ""): 1, (Event.ELIGIBLE, ""): 1}


def test_robots_are_not_counted(client):
    mission = MissionFactory(reference="CNT5")
    client.get(
        mission.get_absolute_url(), HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)"
    )
    client.get(mission.get_absolute_url(), HTTP_USER_AGENT="facebookexternalhit/1.1")

    assert counted() == {}


def test_counts_made_between_two_flushes_wait_for_the_next_one():
    mission = MissionFactory(reference="CNT6")
    now = timezone.now()
    counters.counter_add("CNT6", [(Event.VIEW, "")], at=now)
    assert counters.counters_flush(now=now) == 1
    counters.counter_add("CNT6", [(Event.VIEW, "")], at=now)
    counters.counter_add("CNT6", [(Event.VIEW, "")], at=now)

    assert counters.counters_flush(now=now) == 2
    assert Tally.objects.get(mission=mission, event=Event.VIEW).count == 3


def test_views_made_while_redis_is_down_are_kept_and_counted_once_it_is_back(
    client, redis_cache, settings
):
    """A real Redis, stopped by its process id then started again on the same port."""
    settings.PAGE_COUNTS_SEND_SECONDS = 0  # each page tries the cache, as a busy site's would
    mission = MissionFactory(reference="CNT7")
    url = mission.get_absolute_url()
    visit(client, url)
    visit(client, url)
    assert counted() == {(Event.VIEW, ""): 2}  # a Redis restarted empty loses what is not
    redis_cache.stop()

    for _ in range(3):
        forget_kept_pages()  # this worker's own copy would hide the outage
        visit(client, url)  # rendered without the cache; still served
    assert sum(counters.unsent.values()) == 3

    redis_cache.start()
    time.sleep(1.1)  # the breaker's time (CACHE_BREAKER_SECONDS is 1 in tests)
    forget_kept_pages()
    visit(client, url)

    assert counters.unsent == {}
    assert counted() == {(Event.VIEW, ""): 6}


def test_a_flush_already_running_makes_the_second_one_wait_its_turn():
    mission = MissionFactory(reference="CNT8")
    now = timezone.now()
    counters.counter_add("CNT8", [(Event.VIEW, "")], at=now)
    cache.add(counters.FLUSH_LOCK, 1, 60)  # another beat's flush, under way

    assert counters.counters_flush(now=now) == 0
    assert not Tally.objects.filter(mission=mission).exists()
    cache.delete(counters.FLUSH_LOCK)  # it ended
    assert counters.counters_flush(now=now) == 1
    assert counters.counters_flush(now=now) == 0
    assert Tally.objects.get(mission=mission, event=Event.VIEW).count == 1
    assert cache.get(counters.FLUSH_LOCK) is None  # released


def test_a_worker_hands_its_counts_over_once_the_interval_has_passed_after_any_request(
    client, settings
):
    settings.PAGE_COUNTS_SEND_SECONDS = 60.0
    mission = MissionFactory(reference="CNT9")
    url = mission.get_absolute_url()
    key = counters.counter_key(local_day(timezone.now()), "CNT9", Event.VIEW, "")

    visit(client, url)
    assert (cache.get(key), counters.unsent) == (1, {})
    visit(client, url)
    visit(client, url)
    assert (cache.get(key), counters.unsent) == (1, {key: 2})  # held by the worker
    client.get("/ping")
    assert (cache.get(key), counters.unsent) == (1, {key: 2})  # not yet due
    counters.last_sent[0] -= 61  # a minute later…
    client.get("/ping")  # …any request hands them over: a load balancer's probe does

    assert (cache.get(key), counters.unsent) == (3, {})
    assert counted() == {(Event.VIEW, ""): 3}
