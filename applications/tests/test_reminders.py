"""Draft reminders with frozen time: each one once, on time, never after the deadline."""

import datetime as dt
import time
import zoneinfo

import pytest

from applications import reminders
from applications.models import Application, Stage
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from volunteers.models import User, Volunteer
from volunteers.tests.factories import VolunteerFactory

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


def run_at(time_machine, moment):
    time_machine.move_to(moment, tick=False)
    return reminders.remind_unfinished_drafts(now=moment)


def test_a_draft_gets_the_7_day_and_1_day_reminders_exactly_once_each(time_machine, mission):
    draft = Application.objects.create(volunteer=VolunteerFactory(), mission=mission)

    assert run_at(time_machine, DEADLINE - dt.timedelta(days=8)) == 0
    assert run_at(time_machine, DEADLINE - dt.timedelta(days=7)) == 1
    assert run_at(time_machine, DEADLINE - dt.timedelta(days=6, hours=12)) == 0
    assert run_at(time_machine, DEADLINE - dt.timedelta(days=3)) == 0
    assert run_at(time_machine, DEADLINE - dt.timedelta(hours=23)) == 1
    assert run_at(time_machine, DEADLINE - dt.timedelta(minutes=5)) == 0

    assert keys() == [f"reminder-1d:{draft.pk}", f"reminder-7d:{draft.pk}"]
    reminder = OutboxMessage.objects.get(key=f"reminder-1d:{draft.pk}")
    assert reminder.template == "draft_reminder"
    assert reminder.context["deadline"] == "2027-03-31"


def test_no_reminder_after_the_deadline_nor_for_sent_applications(time_machine, mission):
    Application.objects.create(volunteer=VolunteerFactory(), mission=mission, stage=Stage.SUBMITTED)
    Application.objects.create(volunteer=VolunteerFactory(), mission=mission, stage=Stage.WITHDRAWN)

    run_at(time_machine, DEADLINE - dt.timedelta(hours=2))
    Application.objects.create(volunteer=VolunteerFactory(), mission=mission)
    run_at(time_machine, DEADLINE + dt.timedelta(minutes=1))

    assert keys() == []


def test_the_deadline_is_read_in_the_missions_time_zone(time_machine):
    efate = MissionFactory(
        reference="REM2", time_zone="Pacific/Efate", deadline_date=dt.date(2027, 3, 31)
    )
    Application.objects.create(volunteer=VolunteerFactory(), mission=efate)

    # 23:30 UTC on 30 March is already 10:30 on 31 March in Port-Vila: the last day has begun.
    assert run_at(time_machine, dt.datetime(2027, 3, 30, 23, 30, tzinfo=dt.UTC)) == 1
    assert keys()[0].startswith("reminder-1d:")


def test_ten_thousand_drafts_are_reminded_once_each(time_machine, mission):
    users = User.objects.bulk_create(
        User(email=f"draft{i}@example.org", password="!") for i in range(10_000)
    )
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(user=user, first_name="A", last_name="B", nationalities=["FR"], residence="FR", city="Lyon",
                  phone="+33612345678", education_level="bac5", education_field="ESS", experience_years=3)
        for user in users
    )  # fmt: skip
    Application.objects.bulk_create(Application(volunteer=v, mission=mission) for v in volunteers)
    moment = DEADLINE - dt.timedelta(days=7)

    started = time.monotonic()
    first = run_at(time_machine, moment)
    second = run_at(time_machine, moment + dt.timedelta(minutes=15))
    elapsed = time.monotonic() - started

    assert (first, second) == (10_000, 0)
    assert OutboxMessage.objects.count() == 10_000
    assert OutboxMessage.objects.values("key").distinct().count() == 10_000
    print(f"10,000 reminders written in {elapsed:.1f} s")
