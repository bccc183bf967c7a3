"""How a program signs in to the API: ``Authorization: Api-Key <prefix>.<secret>``, and
what its key lets it do (``HasScope``)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.keys import KeyRefused, key_check
from api.models import ApiKey, Scope

KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    """The request's user is the staff member who created the key; ``request.auth`` the key."""

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        keyword, _space, secret = request.headers.get("Authorization", "").partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None  # no key: HasScope answers 401
        try:
            key = key_check(secret.strip(), timezone.now())
        except KeyRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return key.created_by, key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD  # 401, not 403, for a request without a key


# What the key's creator must be allowed in the admin for a scope to work: a key never does
# more than the person who made it (exports: ``coordination.selectors.coordinated_missions``).
SCOPE_PERMISSIONS = {
    Scope.APPLICATIONS_READ: "applications.view_application",
    Scope.APPLICATIONS_STAGE: "applications.move_stage",
}


class HasScope(BasePermission):
    """The key holds the scope the view names for this method (``required_scopes``), and its
    creator the matching right (``SCOPE_PERMISSIONS``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            raise exceptions.NotAuthenticated(
                _("Une clé d'API est nécessaire : en-tête « Authorization: Api-Key … ».")
            )
        scope = view.required_scopes.get(request.method)
        if scope is None:
            raise exceptions.MethodNotAllowed(str(request.method))
        if not key.allows(scope):
            raise exceptions.PermissionDenied(
                _("Cette clé n'a pas la portée « %(scope)s ».") % {"scope": scope}
            )
        needed = SCOPE_PERMISSIONS.get(scope)
        if needed and not request.user.has_perm(needed):
            raise exceptions.PermissionDenied(
                _("La personne qui a créé cette clé n'a pas ce droit (%(scope)s).")
                % {"scope": scope}
            )
        return True


class KeyThrottle(SimpleRateThrottle):
    """Each key's own allowance (``API_KEY_RATE``), whoever uses it and from wherever."""

    scope = "key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = request.auth
        if not isinstance(key, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.prefix}
