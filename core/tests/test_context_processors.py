"""core.context_processors: the same page in the other language, resolved once, never off-site."""

import pytest

from core import context_processors

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
