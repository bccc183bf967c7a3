"""A question edited after it was answered: a new version takes its place in the mission."""

import pytest

from missions.models import mission_questions, new_version
from missions.selectors import mission_links
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


def test_a_missions_questions_are_read_in_one_query_without_touching_the_mission(
    django_assert_num_queries,
):
    """The apply steps read them on a mission kept for the whole worker (missions.sections):
    nothing is cached on it, and a second read sees a question added since."""
    mission = MissionFactory()
    second = QuestionFactory(mission=mission, order=2)
    first = QuestionFactory(mission=mission, order=1)

    with django_assert_num_queries(1):
        assert mission_questions(mission) == [first, second]
    third = QuestionFactory(mission=mission, order=3)

    assert mission_questions(mission) == [first, second, third]


def test_a_question_added_to_a_mission_shows_in_its_kept_links_once_committed(
    django_capture_on_commit_callbacks,
):
    """Whoever adds it (the admin, a script), the apply steps then ask it."""
    mission = MissionFactory()
    before = mission_links(mission)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        QuestionFactory(mission=mission, order=1)

    assert callbacks  # the version's bump
    assert (before.asks_questions, mission_links(mission).asks_questions) == (False, True)
