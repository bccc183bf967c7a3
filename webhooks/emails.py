"""E-mails of the webhooks: one function per message, each returning an outbox draft."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.outbox import Draft
from webhooks.models import Endpoint


def endpoint_disabled(endpoint: Endpoint, *, to: str) -> Draft:
    """Staff hear that an endpoint failing for days was disabled, with its delivery log."""
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    disabled_at = endpoint.disabled_at.isoformat() if endpoint.disabled_at else ""
    return Draft(
        key=f"webhook-disabled:{endpoint.pk}:{disabled_at}:{to}",
        to=to,
        template="webhook_disabled",
        context={"name": endpoint.name, "url": endpoint.url, "admin_url": url,
                 "days": settings.WEBHOOKS_DISABLE_AFTER_DAYS},
        language=settings.LANGUAGE_CODE,
    )  # fmt: skip
