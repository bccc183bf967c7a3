"""Candidates of one mission with real documents, and reading a dossier back with pypdf."""

import datetime as dt

import pytest
import weasyprint
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.documents import document_store
from applications.models import Stage
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from testing import clock
from volunteers.tests.factories import VolunteerFactory


def cv_pdf(*lines: str) -> bytes:
    """A real CV of one page per line, as a word processor would print it."""
    pages = "".join(f'<p style="break-after: page">{line}</p>' for line in lines)
    return weasyprint.HTML(string=f"<html><body>{pages}</body></html>").write_pdf()


def store(application, kind, content, name):
    return document_store(
        application=application, kind=kind, data=ContentFile(content, name=name), name=name
    )


@pytest.fixture
def mission():
    return MissionFactory(
        reference="DOS1", title="Chargé·e de coopération", start_date=clock.days(120)
    )


@pytest.fixture
def candidate(mission):
    """Awa Diallo: shortlisted, a two-page PDF CV and a PDF letter."""
    volunteer = VolunteerFactory(
        first_name="Awa", last_name="Diallo", birth_date=dt.date(1993, 3, 14),
        nationalities=["SN", "FR"], residence="BE", city="Liège", phone="+32470123456",
        user__email="awa.diallo@example.org",
    )  # fmt: skip
    application = submitted(
        mission,
        volunteer,
        stage=Stage.SHORTLISTED,
        submitted_at=timezone.now() - dt.timedelta(days=9),
    )
    store(application, "cv", cv_pdf("Curriculum page une", "Curriculum page deux"), "cv-awa.pdf")
    store(application, "letter", cv_pdf("Lettre de motivation d'Awa"), "lettre-awa.pdf")
    return application


def shortlisted(mission, first_name, last_name, **fields):
    volunteer = VolunteerFactory(
        first_name=first_name, last_name=last_name,
        user__email=f"{first_name.lower()}@example.org",
    )  # fmt: skip
    return submitted(mission, volunteer, stage=Stage.SHORTLISTED, **fields)


def partner_link(mission, **fields):
    """A partner's link as staff create it (its token's hash only)."""
    import secrets

    from selection.models import PartnerLink
    from volunteers.tests.factories import UserFactory

    defaults = {
        "organisation": "ESS France Outre-mer", "person": "Inès Bernard",
        "email": "ines@example.org", "token_hash": secrets.token_hex(32),
        "expires_at": timezone.now() + dt.timedelta(days=14), "created_by": UserFactory(),
    }  # fmt: skip
    return PartnerLink.objects.create(mission=mission, **{**defaults, **fields})
