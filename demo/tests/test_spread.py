"""seed_bench --spread: applications over every mission, day and stage, and the dashboard's
counts derived from them as the services would have counted them."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from applications.models import Application, Stage, StageChange
from missions.models import Event, Mission, StageTime, Tally
from missions.tallies import local_day
from volunteers.models import User

# The counts are derived in PostgreSQL's SQL.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgresql_database")]


def seed(**options) -> None:
    call_command("seed_bench", missions=30, applications=600, spread=True, verbosity=0, **options)


def tallies(event: str) -> Counter:
    """The counts of an event by (mission, day, detail)."""
    rows = Tally.objects.filter(event=event).values_list("mission", "day", "detail", "count")
    return Counter({(mission, day, detail): count for mission, day, detail, count in rows})


def test_applications_are_spread_over_missions_days_and_stages_with_their_history():
    seed()
    applications = Application.objects.filter(mission__reference__startswith="B")

    assert applications.count() == 600
    assert applications.values("mission").distinct().count() >= 20
    assert set(applications.values_list("stage", flat=True)) == set(Stage.values)
    days = {local_day(application.created_at) for application in applications}
    assert (max(days) - min(days)).days > 200
    assert max(days) <= local_day(timezone.now())
    for application in applications.prefetch_related("history"):
        history = list(application.history.all())
        if application.stage == Stage.DRAFT:
            assert history == [] and application.stage_since == application.created_at
            continue
        assert (history[0].from_stage, history[0].to_stage) == (Stage.DRAFT, Stage.SUBMITTED)
        assert history[0].at == application.submitted_at >= application.created_at
        assert history[-1].to_stage == application.stage
        assert history[-1].at == application.stage_since
        assert application.submitted_at <= application.mission.deadline_at
    candidates = User.objects.filter(email__endswith="@bench.example.org")
    assert candidates.count() == 150  # four missions each


def test_the_counts_are_those_the_services_would_have_made():
    seed()
    applications = list(Application.objects.filter(mission__reference__startswith="B"))
    sent = [a for a in applications if a.submitted_at]

    assert tallies(Event.DRAFT) == Counter(
        (a.mission_id, local_day(a.created_at), "") for a in applications
    )
    assert tallies(Event.SUBMITTED) == Counter(
        (a.mission_id, local_day(a.submitted_at), "") for a in sent
    )
    assert tallies(Event.SOURCE) == Counter(
        (a.mission_id, local_day(a.submitted_at), a.source) for a in sent
    )
    assert tallies(Event.NATIONALITY) == Counter(
        (a.mission_id, local_day(a.submitted_at), code)
        for a in sent
        for code in a.profile["nationalities"]
    )
    moves = StageChange.objects.filter(application__in=applications).select_related("application")
    assert tallies(Event.REACHED) == Counter(
        (move.application.mission_id, local_day(move.at), move.to_stage)
        for move in moves
        if move.to_stage != Stage.SUBMITTED
    )
    assert stage_times() == expected_stage_times(moves)
    for event in (Event.VIEW, Event.CHECK, Event.ELIGIBLE, Event.REFUSED, Event.RESIDENCE):
        assert Tally.objects.filter(event=event).exists()
    funnel = [
        Tally.objects.filter(event=event).aggregate(total=Sum("count"))["total"]
        for event in (Event.VIEW, Event.CHECK, Event.ELIGIBLE, Event.DRAFT)
    ]
    assert funnel == sorted(funnel, reverse=True)


def stage_times() -> Counter:
    rows = StageTime.objects.values_list("mission", "day", "stage", "days", "count")
    return Counter({row[:4]: row[4] for row in rows})


def expected_stage_times(moves) -> Counter:
    """As applications.stages counts them: the days since the move before (or the draft)."""
    since = {}
    expected: Counter = Counter()
    for move in sorted(moves, key=lambda move: (move.at, move.pk)):
        application = move.application
        entered = since.get(application.pk, application.created_at)
        key = (application.mission_id, local_day(move.at), move.from_stage)
        expected[(*key, (move.at - entered).days)] += 1
        since[application.pk] = move.at
    return expected


def test_seeding_again_replaces_everything_and_keeps_the_export_benchmark_as_it_was():
    seed()
    seed()

    assert Application.objects.filter(mission__reference__startswith="B").count() == 600
    assert Tally.objects.filter(event=Event.DRAFT).aggregate(n=Sum("count"))["n"] == 600
    coordinated = Mission.objects.filter(coordinators__email="bench-coordinator@example.org")
    assert coordinated.count() == 20
    assert Mission.objects.filter(programmes__isnull=False).distinct().count() == 30

    call_command("seed_bench", missions=30, applications=50, verbosity=0)

    by_mission = Application.objects.values_list("mission__reference").annotate(n=Count("pk"))
    # B0001's for the exports; the bench candidate's five (four sent, B0003 to B0006, and a
    # draft, B0007) and an interview invitation (B0003) for the pages (demo/bench_pages.py).
    assert sorted(by_mission) == [
        ("B0001", 50), ("B0003", 2), ("B0004", 1), ("B0005", 1), ("B0006", 1), ("B0007", 1)
    ]  # fmt: skip
    assert not Tally.objects.exists() and not StageTime.objects.exists()
    assert not Mission.objects.filter(programmes__isnull=False).exists()
