"""`manage.py demo --reset` removes what the demo made, and nothing else."""

import io

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from applications.models import Application, ExportLog, Note, Review, StageChange
from applications.tests.factories import submitted
from missions.models import Mission, ReviewRequest
from notifications import outbox
from notifications.models import OutboxMessage
from testing.documents import files_under
from volunteers.models import User
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

DOMAIN = "@demo.volontiers.invalid"


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def missions() -> list[dict]:
    """The missions as loaded; their coordinators are people, removed with the demo's."""
    return [
        {**model_to_dict(m, exclude=["coordinators"]), "updated_at": m.updated_at}
        for m in Mission.objects.order_by("reference")
    ]


@pytest.fixture
def someone_real():
    """A real candidate who applied to a sample mission, with an e-mail and a CV on disk."""
    demo()
    volunteer = VolunteerFactory(user__email="awa.real@example.org")
    application = submitted(Mission.objects.get(reference="3S1301"), volunteer)
    outbox.enqueue(
        outbox.Draft("real:1", "awa.real@example.org", "application_submitted", {}, "fr")
    )
    return application


def test_reset_removes_the_demo_people_and_all_they_made_and_nothing_else(
    someone_real, private_media, django_capture_on_commit_callbacks
):
    demo_ids = list(
        Application.objects.filter(volunteer__user__email__endswith=DOMAIN).values_list(
            "pk", flat=True
        )
    )
    assert len(demo_ids) >= 12 and files_under(private_media)
    real_files = [someone_real.volunteer.cv.name]
    before = missions()

    with django_capture_on_commit_callbacks(execute=True):
        output = demo("--reset")

    assert not User.objects.filter(email__endswith=DOMAIN).exists()
    assert list(Application.objects.all()) == [someone_real]
    assert not Application.audit.filter(id__in=demo_ids).exists()
    for model in (StageChange, Review, Note):
        assert not model.objects.filter(application_id__in=demo_ids).exists()
    assert not ExportLog.objects.exists() and not ReviewRequest.objects.exists()
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["awa.real@example.org"]
    assert files_under(private_media) == real_files
    assert missions() == before
    assert not Mission.objects.filter(coordinators__isnull=False).exists()
    assert Mission.objects.get(reference="3S1284").deadline_date.isoformat() == "2026-10-12"
    assert User.objects.get(email="awa.real@example.org").volunteer.cv
    assert "accounts" in output


def test_the_demo_loads_its_people_again_after_a_reset(someone_real):
    demo("--reset")

    output = demo()

    assert "Sample candidates: 12 created" in output
    references = Application.objects.filter(mission__reference="3S1329").values_list(
        "reference", flat=True
    )
    # Numbers are never given twice: the new applications follow the removed ones.
    assert min(r for r in references if r) == "3S1329-0006"
