"""Training reminders and staff digests with frozen time: each one once, on time."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Permission

from applications.models import Application, Stage
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review import reminders as review_reminders
from testing.clock import at, days
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")


def deadline() -> dt.datetime:
    """The end, in Dakar, of the REM1 mission's last day to apply (in four months)."""
    return dt.datetime.combine(days(126), dt.time.min, tzinfo=DAKAR)


@pytest.fixture
def mission():
    return MissionFactory(reference="REM1", time_zone="Africa/Dakar", deadline_date=days(125))


def keys() -> list[str]:
    return sorted(OutboxMessage.objects.values_list("key", flat=True))


def test_selected_volunteers_hear_of_the_training_14_days_before_once(time_machine):
    mission = MissionFactory(
        reference="TRN1",
        time_zone="Africa/Dakar",
        training_start=days(158),
        training_end=days(162),
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
        (at(158 - 15, 23, DAKAR), 0),  # the day before: too early
        (at(158 - 14, 8, DAKAR), 1),  # 14 days before, in the morning
        (at(158 - 8, 8, DAKAR), 0),  # sent already
        (at(158, 8, DAKAR), 0),
    ):
        assert review_reminders.remind_training(now=moment) == expected

    assert keys() == [f"training-14d:{selected.pk}"]
    assert OutboxMessage.objects.get().context["training_start"] == days(158).isoformat()


def test_staff_get_a_digest_the_morning_after_the_deadline(mission):
    reviewer = UserFactory(email="rh@example.org", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_application"))
    UserFactory(email="other@example.org", is_staff=True)  # no permission to read applications
    for stage in (Stage.SUBMITTED, Stage.SUBMITTED, Stage.WITHDRAWN, Stage.DRAFT):
        Application.objects.create(volunteer=VolunteerFactory(), mission=mission, stage=stage,
                                   eligibility={"eligible": True, "findings": []})  # fmt: skip

    closed = deadline()
    assert review_reminders.send_staff_digests(now=closed + dt.timedelta(hours=7)) == 0
    assert review_reminders.send_staff_digests(now=closed + dt.timedelta(hours=8)) == 1
    assert review_reminders.send_staff_digests(now=closed + dt.timedelta(hours=9)) == 0

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
