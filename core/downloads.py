"""Sending a private file (CV, letter, export) to someone the view has checked may read it."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_download(
    file: FieldFile, filename: str, *, inline: bool = False
) -> HttpResponse | FileResponse:
    """Behind nginx, hand the file over with X-Accel-Redirect; otherwise stream it from Django.

    With DOCUMENTS_ACCEL_REDIRECT_PREFIX set (deploy/nginx: "/protected-documents/"), the worker
    is free at once and nginx sends the bytes from an `internal` location no client can reach.
    ``inline``: for the browser to show (a PDF read by a partner), not to save.
    """
    prefix = settings.DOCUMENTS_ACCEL_REDIRECT_PREFIX
    response: HttpResponse | FileResponse
    if prefix:
        content_type, _encoding = mimetypes.guess_type(filename)
        response = HttpResponse(content_type=content_type or "application/octet-stream")
        response["X-Accel-Redirect"] = prefix + quote(file.name or "")
        response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    else:
        response = FileResponse(file.open("rb"), as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
