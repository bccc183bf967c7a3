"""Each figure of the dashboard on a data set built here, whose answers are known.

Drafts, submissions and stage moves go through the services (which count them); page views
and eligibility verdicts, counted in the cache by the public pages (test_counters.py), are
written here as the flush writes them.
"""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications import services
from applications.models import Source, Stage
from applications.privacy import account_erase
from dashboard.figures import Filters, compute, percentile
from missions.models import Event, ReviewRequest, StageTime, Tally
from missions.tallies import local_day, tallies_add
from missions.tests.factories import MissionFactory, ProgrammeFactory
from notifications.models import OutboxMessage
from review.services import applications_move_stage
from testing.factories import ready_draft
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return local_day(timezone.now())


def period(**narrow) -> Filters:
    return Filters(start=today() - dt.timedelta(days=29), end=today(), **narrow)


@pytest.fixture
def recruitment(time_machine):
    """Mission A (Senegal, programme P1), mission B (Benin, programme P2): views and checks
    written as flushed, then 3 drafts on A (2 sent) and 1 on B (sent), and staff moves."""
    p1, p2 = ProgrammeFactory(name="P1"), ProgrammeFactory(name="P2")
    a = MissionFactory(reference="DASHA", host_country="SN", city="Dakar", time_zone="Africa/Dakar")
    b = MissionFactory(reference="DASHB")
    a.programmes.add(p1)
    b.programmes.add(p2)
    day = today() - dt.timedelta(days=3)
    tallies_add([
        (a.pk, day, Event.VIEW, "", 100), (b.pk, day, Event.VIEW, "", 50),
        (a.pk, day, Event.CHECK, "", 40), (b.pk, day, Event.CHECK, "", 10),
        (a.pk, day, Event.ELIGIBLE, "", 30), (b.pk, day, Event.ELIGIBLE, "", 5),
        (a.pk, day, Event.REFUSED, "host_nationality", 7), (a.pk, day, Event.REFUSED, "under_age", 3),
        (b.pk, day, Event.REFUSED, "host_residence", 5),
        # Outside the period: never counted.
        (a.pk, today() - dt.timedelta(days=40), Event.VIEW, "", 1000),
    ])  # fmt: skip
    manager = UserFactory(is_staff=True)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    people = [VolunteerFactory(nationalities=["FR", "BE"], residence="BE") for _ in range(3)]
    drafts_a = [ready_draft(volunteer, a) for volunteer in people]
    draft_b = ready_draft(VolunteerFactory(nationalities=["CM"], residence="FR"), b)
    for draft in [*drafts_a[:2], draft_b]:
        services.application_submit(application_id=draft.pk, now=timezone.now())
    sent_a = [d.pk for d in drafts_a[:2]]
    # Two days later both of A's go to review; a day after that, shortlisted; one of them goes
    # to interview five days later, and is selected a day after.
    time_machine.move_to(start + dt.timedelta(days=2), tick=False)
    applications_move_stage(application_ids=sent_a, to_stage=Stage.IN_REVIEW, acting_user=manager)
    time_machine.move_to(start + dt.timedelta(days=3), tick=False)
    applications_move_stage(application_ids=sent_a, to_stage=Stage.SHORTLISTED, acting_user=manager)
    # Back and forth: shortlisted again counts once.
    applications_move_stage(
        application_ids=sent_a[:1], to_stage=Stage.IN_REVIEW, acting_user=manager
    )
    applications_move_stage(
        application_ids=sent_a[:1], to_stage=Stage.SHORTLISTED, acting_user=manager
    )
    time_machine.move_to(start + dt.timedelta(days=8), tick=False)
    applications_move_stage(
        application_ids=sent_a[:1], to_stage=Stage.INTERVIEW, acting_user=manager
    )
    time_machine.move_to(start + dt.timedelta(days=9), tick=False)
    applications_move_stage(
        application_ids=sent_a[:1], to_stage=Stage.SELECTED, acting_user=manager
    )
    time_machine.move_to(start + dt.timedelta(days=10), tick=False)
    return {"a": a, "b": b, "p1": p1, "p2": p2, "draft_b": draft_b, "start": start}


def test_the_funnel_counts_each_step_once_in_the_period(recruitment):
    figures = compute(None, period(), staff=True, now=timezone.now())

    assert [n for _event, _detail, n in figures["funnel"]] == [150, 50, 35, 4, 3, 2, 1, 1]


def test_a_programme_a_country_or_a_mission_narrows_every_figure(recruitment):
    a, b = recruitment["a"], recruitment["b"]
    from missions.models import Mission

    by_mission = compute(
        Mission.objects.all(), period(mission=a.pk), staff=True, now=timezone.now()
    )
    by_country = compute(None, period(country="BJ"), staff=True, now=timezone.now())
    by_programme = compute(
        None, period(programme=recruitment["p2"].pk), staff=True, now=timezone.now()
    )

    assert [n for *_k, n in by_mission["funnel"]] == [100, 40, 30, 3, 2, 2, 1, 1]
    assert [n for *_k, n in by_country["funnel"]] == [50, 10, 5, 1, 1, 0, 0, 0]
    assert by_programme["funnel"] == by_country["funnel"]
    assert by_mission["refusals"] == [("host_nationality", 7), ("under_age", 3)]
    assert by_country["refusals"] == [("host_residence", 5)]
    assert by_mission["deadline"] == a.deadline_date.isoformat()
    assert b.reference not in {row["reference"] for row in by_mission["missions"]}


def test_refusals_rank_the_rules_and_the_missions(recruitment):
    figures = compute(None, period(), staff=True, now=timezone.now())

    assert figures["refusals"] == [("host_nationality", 7), ("host_residence", 5), ("under_age", 3)]
    a, b = recruitment["a"], recruitment["b"]
    assert figures["refusals_by_mission"] == [
        ("DASHA", a.title, "host_nationality", 7, 10),
        ("DASHB", b.title, "host_residence", 5, 5),
    ]


def test_countries_sources_and_days_come_from_the_submissions(recruitment):
    sent_on = local_day(recruitment["start"])
    figures = compute(None, period(), staff=True, now=timezone.now())

    assert figures["residence"] == [("BE", 2), ("FR", 1)]
    assert figures["nationality"] == [("BE", 2), ("FR", 2), ("CM", 1)]
    assert figures["sources"] == [(Source.CATALOGUE, 3)]
    sent_days = {day: n for day, n in figures["per_day"] if n}
    assert sent_days == {sent_on.isoformat(): 3}
    assert len(figures["per_day"]) == 30  # every day of the period, days without any too


def test_submissions_are_counted_by_days_before_the_deadline(recruitment):
    a = recruitment["a"]
    a.deadline_date = local_day(recruitment["start"]) + dt.timedelta(days=2)
    a.save()

    before = dict(compute(None, period(), staff=True, now=timezone.now())["before_deadline"])

    # A's two were sent two days before its deadline; B's, 125 days before (earlier: -1).
    assert before[2] == 2 and before[-1] == 1
    assert sum(before.values()) == 3


def test_the_last_hour_before_a_deadline_west_of_paris_counts_on_the_last_day(time_machine):
    """Dakar's 23:30 on the deadline day is the next day in Paris, the counts' zone."""
    mission = MissionFactory(reference="DKR1", host_country="SN", city="Dakar",
                             time_zone="Africa/Dakar", deadline_date=today() + dt.timedelta(days=3))  # fmt: skip
    last_hour = dt.datetime.combine(
        mission.deadline_date, dt.time(23, 30), ZoneInfo("Africa/Dakar")
    )
    time_machine.move_to(last_hour, tick=False)
    services.application_submit(
        application_id=ready_draft(VolunteerFactory(), mission).pk, now=timezone.now()
    )
    filters = Filters(start=today() - dt.timedelta(days=10), end=today())

    before = dict(compute(None, filters, staff=True, now=timezone.now())["before_deadline"])

    assert local_day(last_hour) == mission.deadline_date + dt.timedelta(days=1)
    assert before[0] == 1 and sum(before.values()) == 1


def test_time_in_stage_gives_the_median_and_the_90th_percentile(recruitment):
    figures = compute(None, period(), staff=True, now=timezone.now())
    times = {stage: (n, median, p90) for stage, n, median, p90 in figures["stage_times"]}

    # Sent: 2 days each (A's two). In review: 1 day each, and 0 for the one sent back.
    assert times[Stage.SUBMITTED] == (2, 2, 2)
    assert times[Stage.IN_REVIEW] == (3, 1, 1)
    assert times[Stage.SHORTLISTED] == (2, 0, 5)  # back to review at once; 5 days later
    assert times[Stage.INTERVIEW] == (1, 1, 1)


def test_percentiles_take_the_nearest_rank():
    histogram = [(1, 1), (2, 1), (3, 1), (4, 1), (10, 1)]

    assert percentile(histogram, 5, 0.5) == 3
    assert percentile(histogram, 5, 0.9) == 10
    assert percentile([(0, 9), (7, 1)], 10, 0.9) == 0
    assert percentile([], 0, 0.5) is None


def test_the_longest_waiting_come_first_and_coordinators_see_the_shortlist_only(recruitment):
    staff = compute(None, period(), staff=True, now=timezone.now())["waiting"]
    coordinator = compute(None, period(), staff=False, now=timezone.now())["waiting"]

    # B's was sent 10 days before (still sent); A's second has been shortlisted for 7 days.
    assert [(row["stage"], row["days"]) for row in staff] == [
        (Stage.SUBMITTED, 10),
        (Stage.SHORTLISTED, 7),
    ]
    assert [(row["stage"], row["days"]) for row in coordinator] == [(Stage.SHORTLISTED, 7)]


def test_review_requests_and_the_outbox_are_counted(recruitment):
    ReviewRequest.objects.create(mission=recruitment["a"], email="x@example.org", message="?")
    OutboxMessage.objects.create(key="failed:1", to="x@example.org", template="t", state="failed")
    # The three confirmations went; the five stage e-mails (shortlisted twice, then once
    # more after the way back, interview, selected) wait for a worker.
    confirmations = OutboxMessage.objects.filter(key__startswith="confirmation:")
    confirmations.update(state="sent", sent_at=timezone.now())

    figures = compute(None, period(), staff=True, now=timezone.now())
    coordinator = compute(None, period(country="BJ"), staff=False, now=timezone.now())

    assert figures["review_requests"] == 1
    assert coordinator["review_requests"] == 0
    assert figures["outbox"]["failed"] == 1
    assert figures["outbox"]["pending"] == 5
    assert figures["outbox"]["written"] == {"pending": 5, "sent": 3, "failed": 1, "cancelled": 0}
    assert coordinator["outbox"] is None
    assert coordinator["outcomes"] == []  # refusals one by one are for staff


def test_the_counts_hold_no_personal_data_and_outlive_an_erasure(recruitment):
    assert {f.name for f in Tally._meta.get_fields()} == {
        "id", "mission", "day", "event", "detail", "count"}  # fmt: skip
    assert {f.name for f in StageTime._meta.get_fields()} == {
        "id", "mission", "day", "stage", "days", "count"}  # fmt: skip
    details = set(Tally.objects.values_list("detail", flat=True))
    assert details <= {"", "host_nationality", "under_age", "host_residence", "catalogue",
                       "BE", "FR", "CM", *Stage.values}  # fmt: skip
    before = compute(None, period(), staff=True, now=timezone.now())

    draft_b = recruitment["draft_b"]
    account_erase(user=draft_b.volunteer.user, reason="test")

    after = compute(None, period(), staff=True, now=timezone.now())
    assert after["funnel"] == before["funnel"]
    assert after["residence"] == before["residence"]
    # The erasure withdrew the application: counted as such, once.
    assert dict(after["outcomes"])[Stage.WITHDRAWN] == 1


def test_the_migrations_backfill_counts_what_the_services_counted(recruitment):
    """Sites upgraded with applications already made get the same counts from their rows."""
    from django.apps import apps

    from applications.models import Application

    backfill = importlib.import_module("applications.migrations.0013_dashboard").backfill
    covered = Tally.objects.exclude(
        event__in=[Event.VIEW, Event.CHECK, Event.ELIGIBLE, Event.REFUSED]
    )
    counted = sorted(covered.values_list("mission", "day", "event", "detail", "count"))
    timed = sorted(StageTime.objects.values_list("mission", "day", "stage", "days", "count"))
    since = dict(Application.objects.values_list("pk", "stage_since"))
    Tally.objects.all().delete()
    StageTime.objects.all().delete()
    Application.objects.update(stage_since=None)

    backfill(apps, None)

    assert (
        sorted(Tally.objects.values_list("mission", "day", "event", "detail", "count")) == counted
    )
    assert (
        sorted(StageTime.objects.values_list("mission", "day", "stage", "days", "count")) == timed
    )
    # Drafts never moved count from their creation, as the services do.
    assert {pk: s for pk, s in Application.objects.values_list("pk", "stage_since")} == {
        pk: value or Application.objects.get(pk=pk).created_at for pk, value in since.items()
    }


def test_the_kept_figures_name_the_missions_in_the_reader_s_language(recruitment):
    from django.utils import translation

    from dashboard.figures import dashboard_figures

    a = recruitment["a"]
    a.title_en = "Cooperation officer"
    a.save()

    with translation.override("fr"):
        french = dashboard_figures(None, period(), staff=True, scope_key="all")
    with translation.override("en"):
        english = dashboard_figures(None, period(), staff=True, scope_key="all")

    assert french["refusals_by_mission"][0][:2] == ("DASHA", a.title_fr)
    assert english["refusals_by_mission"][0][:2] == ("DASHA", "Cooperation officer")
