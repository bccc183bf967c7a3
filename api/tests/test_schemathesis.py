"""schemathesis tries the API against its own OpenAPI schema, on gunicorn with the production
settings: hundreds of requests made from the schema (and past it), every answer checked; the
endpoints that need a key with a test key holding every scope."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from api.keys import api_key_create
from api.models import Scope
from applications.models import ApplicationDocument, RefusalReason
from applications.tests.factories import submitted
from missions.models import Mission
from missions.tests.factories import MissionFactory, ProgrammeFactory
from testing.documents import pdf_bytes
from testing.gunicorn import env_on_test_database, serving
from testing.services import require_postgresql, spare_port
from volunteers.models import User

# What the issue asks: no 500, and every answer as the schema says (status, content type,
# headers, body). Left out: whether a request the schema allows is accepted (a country the
# catalogue has no mission in is refused by name) and whether one it forbids is refused (an
# empty filter is no filter, as in the catalogue's form), and whether an export's file can
# be read as soon as the export is started (no worker builds it here: 409, "not ready").
CHECKS = [
    "--checks", "all",
    "--exclude-checks",
    "positive_data_acceptance,negative_data_rejection,ensure_resource_availability",
]  # fmt: skip


@pytest.mark.services
@pytest.mark.real_clock
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_answer_off_the_schema(tmp_path, redis_url):
    require_postgresql("gunicorn with the production settings needs PostgreSQL")
    programme = ProgrammeFactory(slug="v-francophonie", name="V-Francophonie", min_age=21)
    for number in range(25):  # two pages and more, for the cursor
        mission = MissionFactory(host_country=("SN", "BJ", "KH")[number % 3])
        mission.programmes.add(programme)
    MissionFactory(reference="3S1335", title_en="Running a community hub", summary_en="Hub.")
    MissionFactory(status=Mission.Status.CLOSED)
    MissionFactory(status=Mission.Status.DRAFT)
    secret = key_and_applications()
    port = spare_port()
    env = env_on_test_database(
        host="127.0.0.1", redis_url=redis_url, redis_dbs=(9, 10), work=tmp_path, port=port,
        workers=2,
    )  # fmt: skip
    # Plain HTTP from the client: the next page's address must be one it can follow.
    env["SECURE_SSL_REDIRECT"] = "0"
    env["API_PUBLIC_RATE"] = "100000/min"  # its allowance is tested on its own

    with serving(env, port=port, log=tmp_path / "gunicorn.log", workers=2) as web:
        command = [str(Path(sys.executable).parent / "st"), "run"]
        command += [f"http://127.0.0.1:{port}/api/v1/schema/", *CHECKS]
        command += ["--max-examples", "40", "--workers", "1", "--seed", "2026"]
        command += ["--header", f"Authorization: Api-Key {secret}"]
        done = subprocess.run(  # noqa: S603 -- schemathesis's own command, fixed arguments
            command, capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path
        )
        log = web.log_tail()

    report = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, report + log
    assert "Selected: 11/11" in done.stdout, report
    # Its last line: "No issues found in …", or "1 warning in …" (a hint such as an operation
    # that refuses most generated bodies: a random application is not found), never a failure.
    assert re.search(r"=+ (No issues found|\d+ warnings?) in ", done.stdout), report
    assert "failure" not in done.stdout.rsplit("SUMMARY", 1)[-1], report
    assert " 500 " not in log, log


def key_and_applications() -> str:
    """Applications of several stages, one with a document, and a key for all of them."""
    staff = User.objects.create_superuser(email="rh@example.org", password="x")
    RefusalReason.objects.create(label="Profil éloigné")
    mission = MissionFactory(reference="3S1284")
    for stage in ("submitted", "in_review", "shortlisted", "selected", "rejected"):
        application = submitted(mission=mission, stage=stage)
    content = pdf_bytes()
    ApplicationDocument.objects.create(
        application=application, kind="cv", file=ContentFile(content, name="cv.pdf"),
        original_name="cv.pdf", file_type="pdf", size=len(content),
    )  # fmt: skip
    _key, secret = api_key_create(
        name="schemathesis", scopes=Scope.values, created_by=staff,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    return secret
