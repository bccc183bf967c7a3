"""Storing application documents: checked by content, random names on disk, original names kept."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from functools import partial
from itertools import islice
from typing import Any, NamedTuple

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction

from applications.models import Application, ApplicationDocument, document_upload_to
from core.documents import document_write, sanitise_filename, validate_document
from volunteers.models import Volunteer

logger = logging.getLogger(__name__)
# Called once the documents stored are committed, with their ids, by apps above this one
# (talent: their text is read for staff search), registered from their AppConfig.ready().
STORED: list[Callable[[list[int]], None]] = []


class Upload(NamedTuple):
    """A file to attach to an application: its kind (cv, letter), content and sent name."""

    kind: str
    data: File[Any]
    name: str


def document_store(
    *,
    application: Application,
    kind: str,
    data: File[Any],
    name: str,
) -> ApplicationDocument:
    """Check a file and attach it to an application, replacing (and deleting) any earlier one."""
    return documents_store(application=application, uploads=[Upload(kind, data, name)])[0]


def documents_store(
    *, application: Application, uploads: Sequence[Upload]
) -> list[ApplicationDocument]:
    """Check files and attach them, replacing (and deleting) the earlier ones of their kinds.

    Three queries however many files: the earlier documents, their deletion, the new rows.
    """
    documents = [
        document_for(
            application=application, upload=upload, file_type=validate_document(upload.data)
        )
        for upload in uploads
    ]
    if not documents:
        return []
    storage = documents[0].file.storage
    kinds = [upload.kind for upload in uploads]
    earlier = list(application.documents.filter(kind__in=kinds).values_list("pk", "file"))
    written: list[str] = []
    try:
        for document, upload in zip(documents, uploads, strict=True):
            name = document_write(storage, document_upload_to(document, "upload"), upload.data)
            document.file = name
            written.append(name)
        if earlier:
            ApplicationDocument.objects.filter(pk__in=[pk for pk, _file in earlier]).delete()
        ApplicationDocument.objects.bulk_create(documents)
    except Exception:
        for name in written:
            with suppress(Exception):  # the first error is the one to report
                storage.delete(name)  # no row names the file
        raise
    for _pk, file in earlier:
        # The replaced files go only once their rows' deletion is committed.
        transaction.on_commit(partial(storage.delete, file), robust=True)
    for hook in STORED:
        transaction.on_commit(partial(hook, [document.pk for document in documents]), robust=True)
    return documents


def document_for(
    *, application: Application, upload: Upload, file_type: str
) -> ApplicationDocument:
    return ApplicationDocument(
        application=application,
        kind=upload.kind,
        file_type=file_type,
        original_name=sanitise_filename(upload.name, file_type),
        size=upload.data.size or 0,
    )


def document_delete(*, document: ApplicationDocument) -> None:
    """Delete a document's row now and its file once the deletion is committed."""
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)


# Where candidates' documents are stored (document_upload_to, volunteers.models.cv_upload_to).
DOCUMENT_FOLDERS = ("applications", "cv")
SWEEP_BATCH = 1000
# Each run stops after this long (the task's soft limit is 240 s), over the folders in a
# random order: on S3, with a folder per candidate, a run may not reach them all.
SWEEP_SECONDS = 180


def orphan_grace() -> dt.timedelta:
    """A file younger than this may still be named soon: by a transaction under way, or by a
    session (a CV kept while the profile form shows an error: volunteer_cv_keep)."""
    return dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) + dt.timedelta(days=1)


def orphan_documents_sweep(
    *,
    now: dt.datetime,
    storage: Storage = default_storage,
    grace: dt.timedelta | None = None,
    seconds: float | None = SWEEP_SECONDS,
    dry_run: bool = False,
) -> list[str]:
    """Delete stored documents that no row names, written more than ``grace`` ago
    (``orphan_grace()`` by default); stop after ``seconds`` (None: no limit). Returns the
    names deleted (with ``dry_run``, that would be deleted).

    They come from a COMMIT whose answer was lost (``atomic_with_files`` keeps its files, as
    the rows may be there), from replaced files whose deletion failed, or from a CV kept for
    a session that ended. A candidate's file must not outlive every row that could be
    deleted or anonymised with it. Run daily by the beat task ``document-sweep``, and by
    hand with ``manage.py purge_orphan_files``.
    """
    deleted: list[str] = []
    before = now - (orphan_grace() if grace is None else grace)
    stop_at = None if seconds is None else time.monotonic() + seconds
    names = stored_names(storage, DOCUMENT_FOLDERS, stop_at=stop_at)
    while batch := list(islice(names, SWEEP_BATCH)):
        named = set(
            ApplicationDocument.objects.filter(file__in=batch).values_list("file", flat=True)
        ) | set(Volunteer.objects.filter(cv__in=batch).values_list("cv", flat=True))
        for name in batch:
            if name not in named and written_before(storage, name, before):
                if not dry_run:
                    storage.delete(name)
                deleted.append(name)
    if deleted and not dry_run:
        logger.warning("Deleted %d stored documents that no row named", len(deleted))
    return deleted


def written_before(storage: Storage, name: str, moment: dt.datetime) -> bool:
    """False when its age cannot be read: deleted since the listing (a replaced file's
    on_commit), or any storage error (S3 answers 404 with its own exception): kept."""
    try:
        return storage.get_modified_time(name) < moment
    except Exception:  # a file whose age is unknown is never deleted
        logger.info("Sweep: the age of %s could not be read; kept", name, exc_info=True)
        return False


def stored_names(
    storage: Storage, folders: Sequence[str], *, stop_at: float | None = None
) -> Iterator[str]:
    """Every file under the folders, at any depth, by its storage name, until ``stop_at``
    (``time.monotonic()``); folders in random order, so that runs cut short reach different
    ones."""
    pending = list(folders)
    while pending and (stop_at is None or time.monotonic() < stop_at):
        pick = secrets.randbelow(len(pending))
        pending[pick], pending[-1] = pending[-1], pending[pick]  # then pop the end: O(1)
        folder = pending.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:  # on disk, a folder nothing was written to yet (S3: empty)
            continue
        pending.extend(f"{folder}/{name}" for name in subfolders)
        yield from (f"{folder}/{name}" for name in files)
