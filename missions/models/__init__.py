"""The catalogue's models: ``mission`` (the posting and its terms), ``programmes`` (programmes
and partners) and ``review_requests`` (a candidate's request to look again at a refusal)."""

from missions.models.mission import (
    POSTING_TEXT_HELP,
    REFERENCE_PATTERN,
    Mission,
    MissionQuerySet,
    end_of_day,
    validate_time_zone,
)
from missions.models.programmes import Partner, Programme
from missions.models.review_requests import ReviewRequest

__all__ = [
    "POSTING_TEXT_HELP",
    "REFERENCE_PATTERN",
    "Mission",
    "MissionQuerySet",
    "Partner",
    "Programme",
    "ReviewRequest",
    "end_of_day",
    "validate_time_zone",
]
