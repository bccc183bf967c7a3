import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from missions import quality
from missions.eligibility import CandidateFacts, evaluate
from missions.models import Mission, end_of_day
from missions.tests.factories import MissionFactory
from testing.clock import days

pytestmark = pytest.mark.django_db

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_deadline_closes_at_midnight_at_the_end_of_the_day_in_the_missions_time_zone():
    mission = MissionFactory(deadline_date=dt.date(2026, 10, 12), time_zone="Africa/Dakar")

    assert mission.deadline_at == dt.datetime(2026, 10, 13, 0, 0, tzinfo=DAKAR)
    assert mission.is_open(dt.datetime(2026, 10, 12, 23, 59, tzinfo=DAKAR))
    assert not mission.is_open(dt.datetime(2026, 10, 13, 0, 1, tzinfo=DAKAR))


def test_deadline_uses_the_missions_time_zone_not_the_sites():
    # 23:30 in Dakar is already 01:30 the next day in Paris (UTC+2 in October): still open.
    mission = MissionFactory(deadline_date=dt.date(2026, 10, 12), time_zone="Africa/Dakar")
    late_evening_in_dakar = dt.datetime(2026, 10, 13, 1, 30, tzinfo=PARIS)

    assert mission.is_open(late_evening_in_dakar)
    assert not MissionFactory(
        deadline_date=dt.date(2026, 10, 12), time_zone="Europe/Paris"
    ).is_open(late_evening_in_dakar)


def test_changing_the_deadline_date_with_update_fields_moves_the_deadline_instant():
    mission = MissionFactory(deadline_date=days(45), time_zone="Africa/Dakar")
    mission.deadline_date = days(55)
    mission.save(update_fields=["deadline_date"])
    mission.refresh_from_db()

    assert mission.deadline_at == end_of_day(days(55), "Africa/Dakar")


def test_changing_the_time_zone_with_update_fields_moves_the_deadline_instant():
    mission = MissionFactory(deadline_date=days(45), time_zone="Africa/Dakar")
    mission.time_zone = "Pacific/Efate"
    mission.save(update_fields=["time_zone"])
    mission.refresh_from_db()

    # Midnight in Port-Vila (UTC+11, no summer time) is 13:00 UTC the day before.
    assert mission.deadline_at == dt.datetime.combine(days(45), dt.time(13), tzinfo=dt.UTC)


def test_a_draft_or_closed_mission_is_not_open_even_before_its_deadline():
    now = timezone.now()  # the factories' deadline is four months after it

    assert not MissionFactory(status=Mission.Status.DRAFT).is_open(now)
    assert not MissionFactory(status=Mission.Status.CLOSED).is_open(now)
    assert MissionFactory(status=Mission.Status.PUBLISHED).is_open(now)


def test_a_vsi_excludes_the_host_state_by_law_even_after_a_move():
    mission = MissionFactory(host_country="SN", volunteer_status="vsi")
    senegalese = CandidateFacts(nationalities=frozenset({"SN"}), residence="SN")
    now = timezone.now()
    assert mission.terms().excluded_nationalities == frozenset()  # the mission adds none
    assert [f.code for f in evaluate(mission.terms(), senegalese, now).refusals] == [
        "host_nationality"
    ]

    mission.host_country = "TG"
    mission.save()

    togolese = CandidateFacts(nationalities=frozenset({"TG"}), residence="TG")
    assert evaluate(mission.terms(), senegalese, now).eligible
    assert [f.code for f in evaluate(mission.terms(), togolese, now).refusals] == [
        "host_nationality"
    ]


def test_an_unknown_time_zone_is_refused_with_a_clear_message():
    mission = MissionFactory.build(time_zone="Africa/Atlantis")

    with pytest.raises(ValidationError) as error:
        mission.full_clean(exclude=["deadline_at"])

    assert "Africa/Atlantis" in str(error.value.message_dict["time_zone"])


def test_quality_findings_flag_a_deadline_after_the_start_and_after_the_training():
    mission = MissionFactory.build(
        deadline_date=dt.date(2026, 10, 12),
        start_date=dt.date(2026, 1, 1),
        training_start=dt.date(2025, 11, 3),
        published_on=dt.date(2025, 10, 1),
    )

    codes = {rule.code for rule in quality.findings(mission)}

    assert codes == {"deadline_after_start", "deadline_after_training"}


def test_a_coherent_mission_has_no_quality_finding():
    assert quality.findings(MissionFactory()) == []


def test_quality_annotations_and_filter_use_the_same_rules_as_findings():
    flawed = MissionFactory(deadline_date=days(250), start_date=days(190))
    clean = MissionFactory()

    annotated = {m.pk: m for m in quality.with_quality(Mission.objects.all())}

    assert annotated[flawed.pk].dq_deadline_after_start is True
    assert annotated[clean.pk].dq_deadline_after_start is False
    assert list(Mission.objects.filter(quality.any_finding())) == [flawed]
