from typing import Any

from rest_framework.throttling import ScopedRateThrottle

from core.security import client_address


class ClientThrottle(ScopedRateThrottle):
    """REST framework's per-scope allowance, per client address as the site's other rate
    limits count it (``core.security.client_address``: only trusted proxies' X-Forwarded-For)."""

    def get_ident(self, request: Any) -> str:
        return client_address(request)
