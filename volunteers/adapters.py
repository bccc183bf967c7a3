"""allauth, adapted: account e-mails take links and site name from SITE_URL, not the Host header,
and go through the outbox like every other e-mail (written in the request's transaction, sent by
the worker, retried, never lost, never sent twice)."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlparse

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from notifications import outbox


@dataclass(frozen=True)
class ConfiguredSite:
    name: str
    domain: str


def configured_site() -> ConfiguredSite:
    return ConfiguredSite(name="Volontiers", domain=urlparse(settings.SITE_URL).netloc)


def lifetime(template_prefix: str) -> dt.timedelta | None:
    """How long what an account e-mail carries stays usable: a message that waited longer
    for the SMTP server is cancelled, never delivered stale (the candidate asks again)."""
    name = template_prefix.rsplit("/", 1)[-1]
    if name == "login_code":
        seconds = allauth_settings.LOGIN_BY_CODE_TIMEOUT
    elif name.startswith("email_confirmation"):
        seconds = allauth_settings.EMAIL_VERIFICATION_BY_CODE_TIMEOUT
    elif name == "password_reset_key":
        seconds = settings.PASSWORD_RESET_TIMEOUT
    else:
        return None
    return dt.timedelta(seconds=seconds)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth has no types
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render now, in the request's language; the outbox sends it. A new code replaces
        the one still waiting for the same address and purpose."""
        context = {"email": email, **context, "current_site": configured_site()}
        message = self.render_mail(template_prefix, email, context)
        alternatives = getattr(message, "alternatives", [])
        html = next((body for body, kind in alternatives if kind == "text/html"), "")
        valid_for = lifetime(template_prefix)
        purpose = f"account:{template_prefix.rsplit('/', 1)[-1]}:{email.lower()}:"
        outbox.messages_cancel(key_prefix=purpose, reason="replaced by a newer message")
        outbox.enqueue(
            outbox.Draft(
                key=purpose + uuid.uuid4().hex,
                to=email,
                template="account_message",
                context={
                    "subject": message.subject,
                    "text": message.body,
                    "html": html,
                    "expires_at": (timezone.now() + valid_for).isoformat() if valid_for else None,
                },
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        )

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return str(settings.SITE_URL) + path.replace("UID-KEY", quote(key))
