import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory

BEFORE = [("missions", "0005_mission_recruiters_mission_review_criteria")]
AFTER = [("missions", "0006_mission_last_application_number")]


@pytest.fixture
def back_to_latest():
    """Whatever a test migrates back to, the next tests find every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_each_mission_s_counter_starts_at_the_highest_number_in_use():
    numbered = MissionFactory(reference="MIG1")
    MissionFactory(reference="MIG2")  # no application yet
    for _ in range(3):
        submitted(mission=numbered)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the column goes; the applications stay
    executor.loader.build_graph()

    executor.migrate(AFTER)

    counters = dict(
        executor.loader.project_state(AFTER[0])
        .apps.get_model("missions", "Mission")
        .objects.values_list("reference", "last_application_number")
    )
    assert counters == {"MIG1": 3, "MIG2": 0}
