"""A question edited after it was answered: a new version takes its place in the mission."""

import pytest

from missions.models import mission_questions, new_version
from missions.tests.factories import MissionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_a_new_version_of_a_missions_own_question_takes_its_place_once():
    mission = MissionFactory()
    first = QuestionFactory(mission=mission, label_fr="Dernier poste", order=1)
    other = QuestionFactory(mission=mission, order=2)

    fresh = new_version(first, {"label_fr": "Votre dernier poste"})

    first.refresh_from_db()
    assert mission_questions(mission) == [fresh, other]
    assert (fresh.previous, fresh.version, first.retired_at is not None) == (first, 2, True)
