"""allauth, adapted: account e-mails take links and site name from SITE_URL, not the Host header."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlparse

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse


@dataclass(frozen=True)
class ConfiguredSite:
    name: str
    domain: str


def configured_site() -> ConfiguredSite:
    return ConfiguredSite(name="Volontiers", domain=urlparse(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth has no types
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": configured_site()})

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return str(settings.SITE_URL) + path.replace("UID-KEY", quote(key))
