import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "volontiers.example.org",
    "SITE_URL": "https://volontiers.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "DATABASE_URL": "sqlite:////tmp/volontiers-check-deploy.sqlite3",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        check=False,
    )


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


def test_celery_speaks_json_only_and_takes_its_settings_from_django():
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.timezone == "Europe/Paris"
    assert celery_app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT


def test_french_is_the_default_language_and_english_the_second():
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "en"]
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True


def test_no_model_change_lacks_a_migration():
    result = manage("makemigrations", "--check", "--dry-run", env={})

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_unsafe_inline(client):
    policy = client.get("/missions/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_the_policy_built_once_is_the_one_django_csp_builds(client):
    from csp.utils import build_policy

    for response in (client.get("/ping"), client.get("/missions/"), client.get("/nowhere/")):
        assert response["Content-Security-Policy"] == build_policy()


@pytest.mark.django_db
def test_a_report_only_policy_still_goes_through_django_csp(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}

    response = client.get("/ping")

    assert "img-src 'self'" in response["Content-Security-Policy-Report-Only"]
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_language_switch_never_echoes_an_unknown_path(client):
    html = client.get("//evil.example/x/").content.decode()

    assert "evil.example" not in html
    assert 'href="/en/missions/" hreflang="en"' in html
