"""Tokens in addresses are masked in every log line (config.logs.TOKEN_PATHS)."""

import pytest

from config.logs import MASK, masked, sentry_masked


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


def test_sentry_events_and_breadcrumbs_carry_no_partner_token():
    token = "Zx9-secretTOKENvalue_0123456789abcdefghijk"  # noqa: S105 -- a made-up one
    event = {
        "request": {"url": f"https://volontiers.example.org/en/partenaires/{token}/"},
        "logentry": {"message": f"Gone: /partenaires/{token}/", "params": []},
        "breadcrumbs": {"values": [{"message": f"GET /entretien/{token}/", "level": 20}]},
    }

    cleaned = sentry_masked(event)

    assert token not in repr(cleaned)
    assert cleaned["request"]["url"] == "https://volontiers.example.org/en/partenaires/[masqué]/"
    assert cleaned["breadcrumbs"]["values"][0]["level"] == 20
