"""The applications' models: ``application`` (the application, its stages, reviews, notes, the
export log), ``documents`` (its files and their text) and ``answers`` (its answers to the
mission's questions)."""

from applications.models.answers import Answer
from applications.models.application import (
    DEFAULT_CRITERIA,
    NOTIFIED_STAGES,
    SHORTLIST_STAGES,
    STAFF_STAGES,
    TRANSITIONS,
    WAITING_STAGES,
    WITHDRAWABLE,
    Application,
    ApplicationQuerySet,
    ExportLog,
    Note,
    RefusalReason,
    Review,
    Stage,
    StageChange,
)
from applications.models.documents import ApplicationDocument, document_upload_to
from applications.models.source import Source

__all__ = [
    "DEFAULT_CRITERIA",
    "NOTIFIED_STAGES",
    "SHORTLIST_STAGES",
    "STAFF_STAGES",
    "TRANSITIONS",
    "WAITING_STAGES",
    "WITHDRAWABLE",
    "Answer",
    "Application",
    "ApplicationDocument",
    "ApplicationQuerySet",
    "ExportLog",
    "Note",
    "RefusalReason",
    "Review",
    "Source",
    "Stage",
    "StageChange",
    "document_upload_to",
]
