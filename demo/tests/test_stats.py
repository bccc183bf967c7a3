"""`manage.py demo` gives the dashboard a past: every chart has something to show, and running
the demo again writes the same past, never adding it twice, and keeps today's counts."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from demo.stats import mission_past, mission_rng
from missions.models import Event, Mission, ReviewRequest, StageTime, Tally
from missions.tallies import local_day
from missions.tests.factories import MissionFactory
from testing.clock import days

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def totals(event: str) -> dict[str, int]:
    """The counts of an event by detail, largest first."""
    rows = (
        Tally.objects.filter(event=event)
        .values_list("detail")
        .annotate(total=Sum("count"))
        .order_by("-total", "detail")
    )
    return dict(rows)


def counts() -> list[tuple]:
    return list(
        Tally.objects.order_by("mission__reference", "day", "event", "detail").values_list(
            "mission__reference", "day", "event", "detail", "count"
        )
    )


def times() -> list[tuple]:
    return list(
        StageTime.objects.order_by("mission__reference", "day", "stage", "days").values_list(
            "mission__reference", "day", "stage", "days", "count"
        )
    )


def test_the_demo_gives_every_chart_of_the_dashboard_something():
    output = demo()

    for event in Event.values:
        assert sum(totals(event).values()) > 0, event
    funnel = [sum(totals(event).values()) for event in ("view", "check", "eligible", "draft")]
    assert funnel == sorted(funnel, reverse=True)
    reached = totals(Event.REACHED)
    stages = ("in_review", "shortlisted", "interview", "selected", "rejected", "withdrawn")
    assert set(stages) <= set(reached)
    assert reached["shortlisted"] > reached["interview"] > reached["selected"]
    assert list(totals(Event.REFUSED))[:2] == ["host_nationality", "host_residence"]
    residences = totals(Event.RESIDENCE)
    assert list(residences)[:1] == ["FR"]
    assert {"FR", "BE", "SN", "CM", "CI", "MA", "CA", "CH"} <= set(residences)
    assert list(totals(Event.NATIONALITY))[:1] == ["FR"]
    assert {"catalogue", "alert", "external", "invitation"} <= set(totals(Event.SOURCE))
    for stage in ("submitted", "in_review", "shortlisted", "interview"):
        spent = StageTime.objects.filter(stage=stage)
        assert spent.exists(), stage
        assert spent.values("days").distinct().count() > 3, stage
    assert ReviewRequest.objects.exists()
    assert "Dashboard history: " in output


def test_views_are_in_the_tens_to_hundreds_a_day_and_nothing_before_publication():
    demo()
    today = local_day(timezone.now())

    for mission in Mission.objects.filter(status=Mission.Status.PUBLISHED):
        views = Tally.objects.filter(mission=mission, event=Event.VIEW, day__lt=today)
        days_counted = views.values_list("day", flat=True)
        first = max(mission.published_on, today - dt.timedelta(days=90))
        assert min(days_counted) == first, mission.reference
        assert len(days_counted) == (today - first).days
        open_days = views.filter(day__lte=mission.deadline_date)
        assert all(5 <= view.count < 1000 for view in open_days)
        assert not Tally.objects.filter(mission=mission, day__lt=first).exists()


def test_submissions_rise_before_the_deadline_and_stop_after_it():
    mission = MissionFactory(published_on=days(-85), deadline_date=days(-20))

    past = mission_past(mission, now=timezone.now(), rng=mission_rng(mission))

    def sent(first: int, last: int) -> int:
        return sum(past.tallies[(days(n), Event.SUBMITTED, "")] for n in range(first, last + 1))

    assert sent(-24, -20) > 2 * sent(-54, -50)
    after = {event for (day, event, _detail) in past.tallies if day > days(-20)}
    assert after == {Event.VIEW, Event.REACHED}  # staff still move the applications
    assert max(day for day, _event, _detail in past.tallies) < days(0)
    assert min(day for day, _event, _detail in past.tallies) == days(-85)


def test_running_the_demo_again_keeps_the_same_counts_and_today_s():
    demo()
    today = local_day(timezone.now())
    before = (counts(), times())
    services = Tally.objects.filter(day=today)
    assert services.filter(event=Event.DRAFT).exists()  # the stories' drafts, just saved

    demo()

    assert (counts(), times()) == before


def test_days_later_the_past_is_written_again_not_added(time_machine):
    demo()
    time_machine.shift(dt.timedelta(days=3))

    demo()

    mission = Mission.objects.get(reference="3S1284")
    now = timezone.now()
    written = {
        (tally.day, tally.event, tally.detail): tally.count
        for tally in Tally.objects.filter(mission=mission, day__lt=local_day(now))
    }
    expected = mission_past(mission, now=now, rng=mission_rng(mission))
    assert written == dict(expected.tallies)


def test_demo_reset_keeps_the_counts_of_the_missions():
    demo()
    before = counts()

    demo("--reset")

    assert counts() == before  # counts name no one: they stay with the missions
