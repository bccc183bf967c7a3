"""schemathesis tries the API against its own OpenAPI schema, on gunicorn with the production
settings: hundreds of requests made from the schema (and past it), every answer checked."""

import subprocess
import sys
from pathlib import Path

import pytest

from missions.models import Mission
from missions.tests.factories import MissionFactory, ProgrammeFactory
from testing.gunicorn import env_on_test_database, serving
from testing.services import require_postgresql, spare_port

# What the issue asks: no 500, and every answer as the schema says (status, content type,
# headers, body). Left out: whether a request the schema allows is accepted (a country the
# catalogue has no mission in is refused by name) and whether one it forbids is refused (an
# empty filter is no filter, as in the catalogue's form).
CHECKS = [
    "--checks", "all",
    "--exclude-checks", "positive_data_acceptance,negative_data_rejection",
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
        done = subprocess.run(  # noqa: S603 -- schemathesis's own command, fixed arguments
            command, capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path
        )
        log = web.log_tail()

    report = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, report + log
    assert "Selected: 4/4" in done.stdout, report
    assert "No issues found" in done.stdout, report
    assert " 500 " not in log, log
