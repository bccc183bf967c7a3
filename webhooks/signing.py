"""The signature receivers check (docs/webhooks.md): HMAC-SHA256 of "<timestamp>.<body>"."""

import hashlib
import hmac

ID_HEADER = "Volontiers-Webhook-Id"
TIMESTAMP_HEADER = "Volontiers-Webhook-Timestamp"
SIGNATURE_HEADER = "Volontiers-Webhook-Signature"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: ``v1=`` and the hex HMAC-SHA256 with the endpoint's secret."""
    signed = f"{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
