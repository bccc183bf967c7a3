"""Training reminders and staff digests with frozen time: each one once, on time."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Permission

from applications.models import Application, Stage
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review import reminders as review_reminders
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")
DEADLINE = dt.datetime(2027, 4, 1, tzinfo=DAKAR)  # 31 March 2027 ends


@pytest.fixture
def mission():
    return MissionFactory(
        reference="REM1", time_zone="Africa/Dakar", deadline_date=dt.date(2027, 3, 31)
    )


def keys() -> list[str]:
    return sorted(OutboxMessage.objects.values_list("key", flat=True))


def test_selected_volunteers_hear_of_the_training_14_days_before_once(time_machine):
    mission = MissionFactory(
        reference="TRN1",
        time_zone="Africa/Dakar",
        training_start=dt.date(2027, 5, 3),
        training_end=dt.date(2027, 5, 7),
    )
    selected = Application.objects.create(
        volunteer=VolunteerFactory(),
        mission=mission,
        stage=Stage.SELECTED,
        reference="TRN1-0001",
        number=1,
    )
    Application.objects.create(
        volunteer=VolunteerFactory(),
        mission=mission,
        stage=Stage.REJECTED,
        reference="TRN1-0002",
        number=2,
    )

    for moment, expected in (
        (dt.datetime(2027, 4, 18, 23, 0, tzinfo=DAKAR), 0),
        (dt.datetime(2027, 4, 19, 8, 0, tzinfo=DAKAR), 1),
        (dt.datetime(2027, 4, 25, 8, 0, tzinfo=DAKAR), 0),
        (dt.datetime(2027, 5, 3, 8, 0, tzinfo=DAKAR), 0),
    ):
        assert review_reminders.remind_training(now=moment) == expected

    assert keys() == [f"training-14d:{selected.pk}"]
    assert OutboxMessage.objects.get().context["training_start"] == "2027-05-03"


def test_staff_get_a_digest_the_morning_after_the_deadline(mission):
    reviewer = UserFactory(email="rh@example.org", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_application"))
    UserFactory(email="other@example.org", is_staff=True)  # no permission to read applications
    for stage in (Stage.SUBMITTED, Stage.SUBMITTED, Stage.WITHDRAWN, Stage.DRAFT):
        Application.objects.create(volunteer=VolunteerFactory(), mission=mission, stage=stage,
                                   eligibility={"eligible": True, "findings": []})  # fmt: skip

    assert review_reminders.send_staff_digests(now=DEADLINE + dt.timedelta(hours=7)) == 0
    assert review_reminders.send_staff_digests(now=DEADLINE + dt.timedelta(hours=8)) == 1
    assert review_reminders.send_staff_digests(now=DEADLINE + dt.timedelta(hours=9)) == 0

    digest = OutboxMessage.objects.get()
    assert (digest.key, digest.to) == (f"digest:{mission.pk}:{reviewer.pk}", "rh@example.org")
    assert (
        digest.context["submitted"],
        digest.context["withdrawn"],
        digest.context["without_notes"],
    ) == (3, 1, 3)
    assert digest.context["admin_url"].endswith(
        f"/admin/applications/application/?mission__id__exact={mission.pk}"
    )
