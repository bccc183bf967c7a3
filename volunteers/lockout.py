"""Who is signing in, for django-axes' lockout (``AXES_USERNAME_CALLABLE``).

allauth authenticates with ``email=``, the admin with ``username=`` (an e-mail too): the
lockout counts one account whatever the form and the letter case.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def attempted_login(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login")
        or request.POST.get("username")
    )
    return str(value).strip().lower() if value else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any]
) -> HttpResponse:
    """The page of a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): 429, in the request's
    language, saying how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "account/lockout.html", {"lockout_minutes": minutes}, status=429)
