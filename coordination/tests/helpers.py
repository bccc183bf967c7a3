"""What the coordination tests share: a formula-like name, and fetching an export."""

from django.urls import reverse

INJECTION = '=HYPERLINK("http://x","y")'


def export(client, fmt, mission="EXP1", **params):
    response = client.get(reverse("coordination:export", args=[mission, fmt]), params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body
