"""The token of a partner's link is masked in gunicorn's access log too, as deployed
(deploy/gunicorn.conf.py's logger_class), whatever the answer."""

import http.client

import pytest

from testing.gunicorn import collecting_static, env_on_test_database, serving
from testing.services import require_postgresql, spare_port, wait_for

HOST = "volontiers.example.org"


@pytest.mark.django_db
@pytest.mark.real_clock
def test_gunicorn_access_log_masks_link_tokens(tmp_path, redis_url):
    require_postgresql("gunicorn with the production settings needs PostgreSQL")
    port = spare_port()
    env = env_on_test_database(
        host=HOST, redis_url=redis_url, redis_dbs=(13, 14), work=tmp_path, port=port, workers=1
    )
    token = "Zx9-secretTOKENvalue_0123456789abcdefghijk"  # noqa: S105 -- a made-up one
    with collecting_static(env):
        pass
    with serving(env, port=port, log=tmp_path / "gunicorn.log", workers=1) as web:
        statuses = []
        for path in (
            f"/partenaires/{token}/",
            f"/entretien/{token}/",
            f"/en/partenaires/{token}/candidats/A-1/",
        ):
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            client.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
            statuses.append(client.getresponse().status)
            client.close()
        # Gunicorn writes the access line once the answer is sent: wait for the last one.
        wait_for(lambda: "candidats/A-1/ HTTP/1.1" in web.log.read_text(), timeout=10)
        log = web.log.read_text()

    assert statuses == [404, 400, 404]
    assert token not in log
    assert '"GET /partenaires/[masqué]/ HTTP/1.1" 404' in log
    assert '"GET /entretien/[masqué]/ HTTP/1.1" 400' in log
    assert '"GET /en/partenaires/[masqué]/candidats/A-1/ HTTP/1.1" 404' in log
