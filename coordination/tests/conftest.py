"""A mission with a shortlisted candidate (scored, with her CV and letter), a candidate whose
name is a spreadsheet formula, and the mission's coordinator signed in."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from applications.models import Stage
from applications.tests.factories import submitted
from coordination.tests.helpers import INJECTION
from missions.tests.factories import MissionFactory
from review import services
from testing.clock import at, days
from testing.documents import docx_bytes, pdf_bytes
from volunteers.tests.factories import UserFactory, VolunteerFactory


def thirty_three_at(start: dt.date) -> dt.date:
    """A birth date that makes the candidate 33 on the mission's first day."""
    return dt.date(start.year - 33, start.month, 1)


@pytest.fixture
def mission():
    return MissionFactory(reference="EXP1", start_date=days(190))


@pytest.fixture
def francoise(mission):
    volunteer = VolunteerFactory(
        first_name="Françoise", last_name="Lefèvre", birth_date=thirty_three_at(mission.start_date), nationalities=["FR", "SN"],
        residence="BE", education_field="Économie sociale · coopération", experience_years=3,
        user__email="francoise@example.org",
    )  # fmt: skip
    application = submitted(
        mission, volunteer, stage=Stage.SHORTLISTED,
        submitted_at=at(-6, 23) + dt.timedelta(minutes=30),  # already the next day in Paris
        eligibility={"eligible": True, "findings": [{"code": "experience_below", "severity": "note", "legal_basis": "x", "params": {"years": 3, "required": 5}}]},
    )  # fmt: skip
    services.review_save(application=application, reviewer=UserFactory(), scores={"experience": 3, "ess": 4, "cooperation": 4, "languages": 5, "motivation": 4}, comment="")  # fmt: skip
    for kind, content, name in (
        ("cv", pdf_bytes(), "cv.pdf"),
        ("letter", docx_bytes(), "lettre.docx"),
    ):
        from applications.documents import document_store

        document_store(
            application=application, kind=kind, data=ContentFile(content, name=name), name=name
        )
    return application


@pytest.fixture
def injector(mission):
    volunteer = VolunteerFactory(
        first_name=INJECTION, last_name="@SUM(A1:A2)", user__email="x@example.org"
    )
    return submitted(mission, volunteer, stage=Stage.INTERVIEW)


@pytest.fixture
def coordinator(client, mission):
    user = UserFactory(email="comdev@example.org")
    mission.coordinators.add(user)
    client.force_login(user)
    return user
