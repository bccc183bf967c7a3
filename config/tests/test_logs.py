"""Tokens in addresses are masked in every log line (config.logs.TOKEN_PATHS)."""

import pytest

from config.logs import MASK, masked


@pytest.mark.parametrize(
    "line",
    [
        "Not Found: /alertes/desabonner/abc123/",
        "Not Found: /en/alertes/gerer/abc123/",
        "Not Found: /alertes/confirmer/abc123/",
        "GET /me/vivier/quitter/abc123/ HTTP/1.1",
        "GET /en/me/vivier/quitter/abc123/ HTTP/1.1",
    ],
)
def test_the_tokens_of_alert_and_pool_links_are_masked(line):
    assert "abc123" not in masked(line)
    assert MASK in masked(line)
