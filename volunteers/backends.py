"""The authentication backends: Django's and allauth's, each reading a signed-in visitor's
profile with the account, in the one query every request makes for it.

Most pages a candidate opens read their profile (the verdict on a mission page, /me/, the
apply steps): joined to the account it costs nothing more, where it was a query of its own.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from volunteers.models import User


class ModelProfileBackend(ModelBackend):
    """Django's backend (a password checked by the admin's login form), whose ``get_user``
    reads the candidate's profile with the account (``user.volunteer``; known absent if none)."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("volunteer").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class AllauthProfileBackend(ModelProfileBackend, AuthenticationBackend):  # type: ignore[misc]
    """allauth's backend (sign-in by e-mailed code, password through allauth's forms)."""
