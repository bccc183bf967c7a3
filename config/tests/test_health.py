import pytest

pytestmark = pytest.mark.django_db


def test_healthz_without_a_broker_says_so_and_answers_200(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "broker": "not configured (tasks run eagerly)",
    }


def test_healthz_with_a_reachable_redis_answers_200(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_healthz_with_an_unreachable_broker_answers_503(client, settings, free_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port}/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "error"
    assert response.json()["reason"] == "broker unreachable"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.services
@pytest.mark.real_clock
def test_healthz_names_the_database_while_it_is_down_and_is_ok_once_it_is_back(
    database_on_cluster, client, settings
):
    # The database is a throwaway cluster of the test's own (conftest.py), stopped for real.
    settings.CELERY_BROKER_URL = ""
    assert client.get("/healthz").status_code == 200  # a connection, which the stop breaks
    database_on_cluster.stop()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "reason": "database unreachable",
        "checks": {"database": "error", "broker": "not configured (tasks run eagerly)"},
    }
    database_on_cluster.start()
    assert client.get("/healthz").json()["status"] == "ok"


def test_ping_answers_without_the_database_and_is_never_stored(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")

    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"


def test_ping_is_answered_before_the_stack_even_by_the_servers_own_address(client):
    # A load balancer probes by the server's address, which ALLOWED_HOSTS need not list.
    probe = client.get("/ping", HTTP_HOST="10.0.0.5")
    page = client.get("/missions/", HTTP_HOST="10.0.0.5")

    assert (probe.status_code, probe.content) == (200, b"ok")
    assert len(probe["X-Request-ID"]) == 32  # the request id comes first, still
    assert "Content-Language" not in probe and "Vary" not in probe  # no language chosen
    assert page.status_code == 400  # every other address still has its host checked
