"""The catalogue's models: ``mission`` (the posting and its terms), ``programmes`` (programmes
and partners), ``questions`` (what a mission asks beyond the letter and the CV),
``review_requests`` (a candidate's request to look again at a refusal) and ``stats`` (the
dashboard's counts per mission and day)."""

from missions.models.mission import (
    POSTING_TEXT_HELP,
    REFERENCE_PATTERN,
    Mission,
    MissionQuerySet,
    end_of_day,
    validate_time_zone,
)
from missions.models.programmes import Partner, Programme
from missions.models.questions import (
    CHOICE_KINDS,
    MissionQuestion,
    Question,
    QuestionKind,
    mission_questions,
    new_version,
    ordered_links,
    questions_prefetch,
)
from missions.models.review_requests import ReviewRequest
from missions.models.stats import Event, StageTime, Tally
from missions.models.training import TrainingSession

__all__ = [
    "CHOICE_KINDS",
    "POSTING_TEXT_HELP",
    "REFERENCE_PATTERN",
    "Event",
    "Mission",
    "MissionQuerySet",
    "MissionQuestion",
    "Partner",
    "Programme",
    "Question",
    "QuestionKind",
    "ReviewRequest",
    "StageTime",
    "Tally",
    "TrainingSession",
    "end_of_day",
    "mission_questions",
    "new_version",
    "ordered_links",
    "questions_prefetch",
    "validate_time_zone",
]
