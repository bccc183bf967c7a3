import factory

from applications.models import Application
from missions.tests.factories import MissionFactory
from volunteers.tests.factories import VolunteerFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    volunteer = factory.SubFactory(VolunteerFactory)
    mission = factory.SubFactory(MissionFactory)


def submitted(mission=None, volunteer=None, **fields) -> Application:
    """A submitted application as application_submit leaves it, without the documents."""
    from applications.models import Stage
    from applications.services import profile_snapshot

    mission = mission or MissionFactory()
    volunteer = volunteer or VolunteerFactory()
    number = Application.objects.filter(mission=mission).count() + 1
    defaults = {
        "stage": Stage.SUBMITTED,
        "number": number,
        "reference": f"{mission.reference}-{number:04d}",
        "submitted_at": mission.created_at,
        "eligibility": {
            "eligible": True,
            "rules_version": "test",
            "evaluated_at": "2026-11-26T12:00:00+00:00",
            "findings": [],
        },
        "profile": profile_snapshot(volunteer),
    }
    return Application.objects.create(
        mission=mission, volunteer=volunteer, **{**defaults, **fields}
    )


def answered(application: Application, values: dict, documents: dict | None = None) -> list:
    """Answers as a submission freezes them: {question: value}, {question: document}."""
    from applications.answers import answer_row
    from applications.models import Answer

    documents = documents or {}
    rows = [
        answer_row(application, question, position, value, documents.get(question))
        for position, (question, value) in enumerate(values.items())
    ]
    return Answer.objects.bulk_create(rows)
