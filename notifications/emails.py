"""Rendering an outbox message: subject, text and HTML from emails/<template>*, in its language."""

import json
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText, forbid_multi_line_headers
from django.template.loader import render_to_string
from django.utils import translation

from notifications import outbox
from notifications.models import OutboxMessage


@dataclass(frozen=True)
class Content:
    """What the templates give for one template, language and context: the same for everyone."""

    subject: str
    subject_header: str  # as Django writes it: encoded words for a non-ASCII subject
    text: str
    html: str


class OutboxEmail(EmailMultiAlternatives):
    """Django's e-mail, given its Subject header already encoded.

    Django encodes a non-ASCII subject again for every message, in a slow pure-Python loop;
    a batch's messages with the same content share one encoded header.
    """

    def __init__(self, *, subject_header: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.subject_header = subject_header

    def message(self) -> SafeMIMEText | SafeMIMEMultipart:
        subject, self.subject = self.subject, ""  # an empty subject costs Django nothing
        try:
            message = super().message()
        finally:
            self.subject = subject
        message.replace_header("Subject", self.subject_header)  # in place: same header order
        return cast(SafeMIMEText | SafeMIMEMultipart, message)


# Contents already rendered in a batch, by template, language and context (as sorted JSON).
Rendered = dict[tuple[str, str, str], Content]


def render(message: OutboxMessage, rendered: Rendered | None = None) -> OutboxEmail:
    """The e-mail for a message, rendered in the recipient's language.

    ``rendered``: contents of the batch so far; the reminders of one mission share their context,
    so their templates are rendered once per language rather than once per recipient.
    """
    key = (message.template, message.language, json.dumps(message.context, sort_keys=True))
    content = rendered.get(key) if rendered is not None else None
    if content is None:
        content = render_content(message.template, message.language, message.context)
        if rendered is not None:
            rendered[key] = content
    email = OutboxEmail(
        subject_header=content.subject_header,
        subject=content.subject,
        body=content.text,
        to=[message.to],
        headers={
            # One Message-ID per outbox key: a receiving server can spot a duplicate.
            "Message-ID": f"<{message.key.replace(':', '.')}@volontiers>",
            "Content-Language": message.language,
            **own_headers(message),
        },
    )
    email.attach_alternative(content.html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


def own_headers(message: OutboxMessage) -> dict[str, str]:
    """The message's own headers, their {key} filled from its context. A header whose secret
    was already blanked is left out rather than sent with a dead link."""
    headers = {}
    for name, value in message.headers.items():
        filled = value.format_map(message.context)
        if outbox.SCRUBBED not in filled or outbox.SCRUBBED in value:
            headers[name] = filled
    return headers


def render_content(template: str, language: str, context: dict[str, Any]) -> Content:
    """The three templates of a message, in its language; nothing in them names the recipient."""
    context = {**context, "site_url": settings.SITE_URL}
    prefix = f"emails/{template}"
    with translation.override(language):
        lines = render_to_string(f"{prefix}_subject.txt", context)
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    subject = " ".join(lines.split())  # one line, whatever the template's newlines
    _, subject_header = forbid_multi_line_headers("Subject", subject, settings.DEFAULT_CHARSET)
    return Content(subject=subject, subject_header=subject_header, text=text, html=html)
