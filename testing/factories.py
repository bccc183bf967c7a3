"""Data the tests of several apps build: a draft ready to send, many submitted applications.

The model factories stay beside their app's tests (``<app>/tests/factories.py``); these
builders go through the application's own services, or write rows in bulk.
"""

from django.core.files.base import ContentFile

from applications import services
from applications.models import Application, Stage
from missions.models import Mission
from testing.documents import docx_bytes, pdf_bytes
from volunteers.models import User, Volunteer


def ready_draft(volunteer: Volunteer, mission: Mission) -> Application:
    """A draft with a DOCX letter and a PDF CV, the declaration and the consent: ready to send."""
    application = services.application_draft_get(volunteer=volunteer, mission=mission)
    services.application_draft_save(
        application=application,
        motivation="",
        use_profile_cv=False,
        declaration=True,
        consent=True,
        # The services read any Django File; the tests have always given them ContentFiles.
        letter=ContentFile(docx_bytes(), name="lettre.docx"),  # type: ignore[arg-type]
        cv=ContentFile(pdf_bytes(), name="cv.pdf"),  # type: ignore[arg-type]
    )
    return application


def bulk_submitted(mission: Mission, count: int) -> list[Application]:
    """``count`` submitted applications to ``mission``, written in three bulk inserts."""
    users = User.objects.bulk_create(
        User(email=f"{mission.reference}.{i}@example.org", password="!") for i in range(count)
    )
    # A list of countries is what CountryField(multiple=True) takes; its stubs say a string.
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(user=u, first_name="A", last_name=f"B{i}", nationalities=["FR"], residence="FR", city="Lyon",  # type: ignore[misc]
                  phone="+33612345678", education_level="bac5", education_field="ESS", experience_years=3)
        for i, u in enumerate(users)
    )  # fmt: skip
    return Application.objects.bulk_create(
        Application(volunteer=v, mission=mission, stage=Stage.SUBMITTED, number=i + 1, reference=f"{mission.reference}-{i + 1:05d}",
                    submitted_at=mission.created_at, eligibility={"eligible": True, "findings": []})
        for i, v in enumerate(volunteers)
    )  # fmt: skip
