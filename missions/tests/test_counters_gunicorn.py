"""A gunicorn worker that stops hands the page counts it holds to the cache first
(deploy/gunicorn.conf.py's ``worker_exit``), as deployed."""

import http.client

import pytest
import redis
from django.utils import timezone

from missions.counters import counter_key
from missions.models import Event
from missions.tallies import local_day
from missions.tests.factories import MissionFactory
from testing.gunicorn import collecting_static, env_on_test_database, serving
from testing.services import require_postgresql, spare_port

HOST = "volontiers.example.org"


@pytest.mark.services
@pytest.mark.real_clock
@pytest.mark.django_db(transaction=True)
def test_a_stopping_worker_sends_the_counts_it_holds(tmp_path, redis_url):
    require_postgresql("gunicorn with the production settings needs PostgreSQL")
    MissionFactory(reference="CNTG")
    port = spare_port()
    env = env_on_test_database(
        host=HOST, redis_url=redis_url, redis_dbs=(12, 11), work=tmp_path, port=port, workers=1
    )
    env["PAGE_COUNTS_SEND_SECONDS"] = "3600"  # nothing due while it serves, after the first
    store = redis.Redis.from_url(env["CACHE_URL"])
    store.flushdb()  # our own database number of the test Redis
    key = ":1:" + counter_key(local_day(timezone.now()), "CNTG", Event.VIEW, "")
    with collecting_static(env):
        pass
    statuses = []
    with serving(env, port=port, log=tmp_path / "gunicorn.log", workers=1):
        for _ in range(3):
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            client.request(
                "GET", "/missions/CNTG/", headers={"Host": HOST, "X-Forwarded-Proto": "https"}
            )
            statuses.append(client.getresponse().status)
            client.close()
        held = store.get(key)
    # serving() stopped gunicorn gracefully (SIGTERM, by its process id)

    assert statuses == [200, 200, 200]
    assert held == b"1"  # the first view went at once; the two others were held
    assert store.get(key) == b"3"
    store.flushdb()
