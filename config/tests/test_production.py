"""Production plumbing: request ids, JSON logs, object storage settings."""

import json

import pytest

from config.tests.helpers import PRODUCTION_ENV, manage


def test_each_response_carries_a_request_id_and_a_forged_one_is_replaced(client):
    given = client.get("/ping", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    forged = client.get("/ping", HTTP_X_REQUEST_ID="evil\nINFO forged log line")

    assert given["X-Request-ID"] == "lb-0123456789abcdef"
    assert forged["X-Request-ID"] != "evil\nINFO forged log line"
    assert len(forged["X-Request-ID"]) == 32


def test_production_logs_are_json_lines():
    code = "import logging; logging.getLogger('volontiers.test').warning('outbox message %s: retry', 42)"

    result = manage("shell", "-v0", "-c", code, env=PRODUCTION_ENV)

    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and line["logger"] == "volontiers.test"
    assert line["message"] == "outbox message 42: retry" and line["request_id"] == "-"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "django.core.files.storage.FileSystemStorage"),
        (
            {"STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": "volontiers-docs"},
            "storages.backends.s3.S3Storage",
        ),
    ],
)
def test_documents_go_to_a_private_folder_or_a_private_bucket(extra, expected):
    code = "from django.conf import settings; import json; print(json.dumps(settings.STORAGES['default'], default=str))"

    result = manage("shell", "-v0", "-c", code, env={**PRODUCTION_ENV, **extra})

    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == expected
    if extra:
        assert (
            storage["OPTIONS"]["default_acl"] == "private"
            and storage["OPTIONS"]["querystring_auth"] is True
        )
        assert storage["OPTIONS"]["bucket_name"] == "volontiers-docs"


def test_an_unknown_storage_backend_stops_the_start():
    result = manage("check", env={**PRODUCTION_ENV, "STORAGE_BACKEND": "ftp"})

    assert result.returncode != 0 and "STORAGE_BACKEND" in result.stderr
