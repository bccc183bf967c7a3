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
    assert response["Cache-Control"].startswith("max-age=0")


def test_ping_answers_without_the_database_and_is_never_stored(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")

    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"
