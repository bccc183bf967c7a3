"""The alerts' link tokens, kept as their SHA-256 only.

The confirmation token is random and sent once. The unsubscribe (and manage) token is an
HMAC of the alert's random salt under the site's key: every digest carries it again, yet no
row holds it (changing SECRET_KEY retires the links of digests already sent).
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_BYTES = 32  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def link_token(salt: str) -> str:
    """The unsubscribe and manage token of an alert whose salt is ``salt``."""
    key = f"{settings.SECRET_KEY}:alert-link".encode()
    digest = hmac.new(key, salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
