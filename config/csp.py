"""The Content-Security-Policy (django-csp; ``settings.CONTENT_SECURITY_POLICY``): our own
files only, no inline script or style, no frames, no plugins. Images may be data: URIs
(Bootstrap's icons in its CSS)."""

CSP_POLICY = {
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
