"""The worker's part of staff search: read the texts of documents just stored, and rebuild
the search profile of a volunteer whose profile, documents or applications changed."""

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError

from talent import extraction, index
from talent.catch_up import search_catch_up

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def read_document_texts(document_ids: list[int]) -> None:
    """Read the documents' texts, then rebuild their volunteers' search profiles."""
    volunteers = set()
    for document_id in document_ids:
        volunteer_id = extraction.document_text_read(document_id=document_id, now=timezone.now())
        if volunteer_id is not None:
            volunteers.add(volunteer_id)
    for volunteer_id in sorted(volunteers):
        index.search_profile_refresh(volunteer_id=volunteer_id, now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def refresh_volunteer(volunteer_id: int) -> None:
    """Read the profile CV's text if it is new, then rebuild the search profile."""
    extraction.volunteer_cv_text_read(volunteer_id=volunteer_id)
    index.search_profile_refresh(volunteer_id=volunteer_id, now=timezone.now())


def documents_stored(document_ids: list[int]) -> None:
    """applications.documents.STORED: called once the documents are committed."""
    queue(read_document_texts, document_ids)


def volunteer_changed(volunteer_id: int) -> None:
    """applications.services.SUBMITTED and volunteers.services.SAVED, after the commit."""
    queue(refresh_volunteer, volunteer_id)


def queue(task: Any, *args: Any) -> None:
    """Queue a task; with the broker down, the candidate's request still succeeds and beat's
    ``search-catch-up`` reads the texts and rebuilds the profiles later."""
    try:
        task.delay(*args)
    except OperationalError:  # Redis refusing, or frozen (the socket times out)
        logger.warning("%s not queued (broker unreachable): left to the catch-up", task.name)


@shared_task(acks_late=True, ignore_result=True)
def catch_up() -> int:
    """Beat's ``search-catch-up``: texts and search profiles that no task brought up to date."""
    return search_catch_up(now=timezone.now())
