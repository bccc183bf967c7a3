"""Rendering an outbox message: subject, text and HTML from emails/<template>*, in its language."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import OutboxMessage


def render(message: OutboxMessage) -> EmailMultiAlternatives:
    """The e-mail for a message, rendered in the recipient's language."""
    context: dict[str, Any] = {**message.context, "site_url": settings.SITE_URL}
    prefix = f"emails/{message.template}"
    with translation.override(message.language):
        subject = render_to_string(f"{prefix}_subject.txt", context)
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line, whatever the template's newlines
        body=text,
        to=[message.to],
        headers={
            # One Message-ID per outbox key: a receiving server can spot a duplicate.
            "Message-ID": f"<{message.key.replace(':', '.')}@volontiers>",
            "Content-Language": message.language,
        },
    )
    email.attach_alternative(html, "text/html")
    return email
