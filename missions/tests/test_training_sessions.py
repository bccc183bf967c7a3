"""Pre-departure training sessions on the mission: the inline, and the data-quality finding
of a session that ends on or after the mission's start."""

import pytest
from django.urls import reverse

from missions import quality
from missions.models import Mission, TrainingSession
from missions.tests.factories import MissionFactory
from testing.clock import days
from volunteers.models import User

pytestmark = pytest.mark.django_db

CODE = "training_session_after_start"


def session(mission, starts_on, ends_on):
    return TrainingSession.objects.create(
        mission=mission, title="PAD", starts_on=starts_on, ends_on=ends_on
    )


def test_a_session_ending_on_the_missions_first_day_is_a_finding():
    late = MissionFactory(start_date=days(187))
    session(late, days(180), days(187))
    early = MissionFactory(start_date=days(187))
    session(early, days(150), days(186))

    assert CODE in {rule.code for rule in quality.findings(late)}
    assert quality.findings(early) == []
    annotated = {m.pk: m for m in quality.with_quality(Mission.objects.all())}
    assert (annotated[late.pk].dq_training_session_after_start,
            annotated[early.pk].dq_training_session_after_start) == (True, False)  # fmt: skip
    assert list(Mission.objects.filter(quality.any_finding())) == [late]


def test_the_finding_follows_an_unsaved_change_of_the_start_date():
    mission = MissionFactory(start_date=days(187))
    session(mission, days(150), days(160))

    mission.start_date = days(160)  # the session's last day

    assert [rule.code for rule in quality.findings(mission)] == [CODE]


def test_the_mission_page_edits_its_sessions_and_shows_the_finding(client):
    client.force_login(User.objects.create_superuser(email="staff@example.org", password="x"))
    mission = MissionFactory(reference="PAD9", start_date=days(187))
    session(mission, days(186), days(190))

    html = client.get(reverse("admin:missions_mission_change", args=[mission.pk])).content
    text = html.decode()

    assert 'name="training_sessions-0-title"' in text
    assert "Une session de formation au départ se termine le jour du début" in text
    assert (
        reverse("admin:review_trainingenrolment_roster", args=[mission.training_sessions.get().pk])
        in text
    )
    listing = client.get(reverse("admin:missions_mission_changelist"), {"quality": CODE})
    assert "PAD9" in listing.content.decode()
