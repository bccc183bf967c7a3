"""What the admin's pages know of the staff member asking."""

from typing import cast

from django.http import HttpRequest

from volunteers.models import User


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member (every admin page requires one)."""
    return cast(User, request.user)
