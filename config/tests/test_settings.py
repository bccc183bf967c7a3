import pytest

from config.tests.helpers import PRODUCTION_ENV, manage
from core import periodic_tasks


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "CACHE_URL"])
def test_production_refuses_to_start_without_a_required_value(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert f"{missing}" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = manage("check", "--deploy", env={**env, "SECRET_KEY_FILE": str(secret_file)})

    assert result.returncode == 0, result.stderr


def test_celery_refuses_to_queue_what_json_cannot_carry(broker):
    """Task arguments are JSON, never pickled: an object is refused when queued."""
    from kombu.exceptions import EncodeError

    from notifications.tasks import send_message

    with pytest.raises(EncodeError):
        send_message.delay(object())


@pytest.mark.django_db
def test_french_is_the_default_language_and_english_the_second(client):
    """French without a prefix, whatever the browser prefers; English under /en/."""
    french = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    english = client.get("/en/missions/")
    german = client.get("/de/missions/")

    assert '<html lang="fr"' in french.content.decode()
    assert '<html lang="en"' in english.content.decode()
    assert german.status_code == 404


def test_no_model_change_lacks_a_migration():
    result = manage("makemigrations", "--check", "--dry-run", env={})

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_unsafe_inline(client):
    policy = client.get("/missions/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_default_periodic_tasks_name_real_tasks():

    from config.celery import app

    app.loader.import_default_modules()
    for entry in periodic_tasks.DEFAULTS.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_postgresql_runs_our_queries_without_compiling_them():
    """JIT off on every connection (config/database.py): compiling cost more than running."""
    from django.db import connection

    from testing.services import require_postgresql

    require_postgresql("the JIT setting is PostgreSQL's: set DATABASE_URL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.parametrize(("jit", "expected"), [("0", "-c jit=off"), ("1", None)])
def test_database_jit_leaves_postgresql_its_own_setting(jit, expected):
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    )
    env = {"DATABASE_URL": "postgres://volontiers@127.0.0.1:5432/volontiers", "DATABASE_JIT": jit}

    result = manage("shell", "-v0", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(expected)
