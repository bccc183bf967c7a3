import pytest

from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from volunteers.tests.factories import VolunteerFactory


@pytest.fixture
def mission():
    return MissionFactory(reference="ADM1", min_experience_years=5)


@pytest.fixture
def application(mission):
    notes = [
        {
            "code": "experience_below",
            "severity": "note",
            "legal_basis": "x",
            "params": {"years": 3, "required": 5},
        }
    ]
    return submitted(mission, VolunteerFactory(last_name="Ndiaye", nationalities=["FR", "SN"], residence="BE"),
                     eligibility={"eligible": True, "rules_version": "t", "evaluated_at": "t", "findings": notes})  # fmt: skip
