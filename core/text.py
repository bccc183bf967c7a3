"""The posting's text format: paragraphs apart by a blank line, list items starting with "• "."""

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def posting_html(text: str) -> SafeString:
    """A posting section as HTML: paragraphs, and "• " lines as a list; everything escaped."""
    blocks = []
    # Browsers send textareas with CRLF line ends; blank lines may hold spaces.
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("• ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            blocks.append(format_html("<ul>{}</ul>", items))
        elif lines:
            blocks.append(format_html("<p>{}</p>", " ".join(lines)))
    return SafeString("".join(blocks))
