"""core.context_processors: the same page in the other language, resolved once, never off-site."""

import re

import pytest

from core import context_processors
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.django_db
def test_a_page_not_found_resolves_its_path_once_for_its_language_links(client, monkeypatch):
    resolved = []
    real_resolve = context_processors.resolve
    monkeypatch.setattr(
        context_processors, "resolve", lambda path: resolved.append(path) or real_resolve(path)
    )

    response = client.get("/pas-une-page/")

    assert response.status_code == 404
    assert resolved == ["/pas-une-page/"]  # not once per language
    # Neither language link echoes the unknown path: both lead to the catalogue.
    assert 'href="/en/missions/" hreflang="en"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_never_echoes_an_unknown_path(client):
    html = client.get("//evil.example/x/").content.decode()

    assert "evil.example" not in html
    assert 'href="/en/missions/" hreflang="en"' in html


def head_alternates(page: str) -> dict[str, str]:
    head = page[: page.index("</head>")]
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_mission_page_names_itself_in_each_language_for_search_engines(client, settings, prefix):
    settings.SITE_URL = "https://volontiers.example.org"
    MissionFactory(reference="HREF1")

    page = client.get(f"{prefix}/missions/HREF1/").content.decode()

    french = "https://volontiers.example.org/missions/HREF1/"
    assert head_alternates(page) == {
        "fr": french,
        "en": "https://volontiers.example.org/en/missions/HREF1/",
        "x-default": french,
    }


def test_an_error_page_has_no_language_alternates(client):
    response = client.get("/missions/NEXISTEPAS/")

    assert response.status_code == 404
    assert head_alternates(response.content.decode()) == {}
