"""The Content-Security-Policy (django-csp): our own files only, no inline script or style.

Built here to keep ``settings.py`` short; core/security.py sends it with every response.
"""

from typing import Any


def content_security_policy() -> dict[str, Any]:
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
            "base-uri": ["'self'"],
            "object-src": ["'none'"],
        }
    }
