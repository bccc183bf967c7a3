"""Browser tests: Playwright drives Debian's headless Chromium against pytest-django's live server.

Fixtures: ``browser`` (one Chromium per test module), ``new_context``, ``page`` (1280×800),
``mobile_page`` (360×740), ``axe_page`` (1280×800, CSP bypassed so axe-core can be injected),
``shoot`` (saves a screenshot to e2e/screenshots/) and ``sign_in`` (gives a context a user's
session). Helpers that are not fixtures live in ``e2e/helpers.py``.
"""

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from e2e.helpers import SCREENSHOTS, missing

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def orm_beside_playwright() -> Iterator[None]:
    """Let the test's own ORM calls run while Playwright's event loop sits in this thread.

    Playwright's sync API keeps an asyncio loop running in the main thread, so Django
    refuses every database call there (SynchronousOnlyOperation). The calls are plain
    blocking ones, nothing async shares the connection: Django's documented escape hatch
    is safe here, and it is set only while one module of browser tests runs.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(orm_beside_playwright: None) -> Iterator[Any]:
    """Debian's Chromium (never a browser downloaded by Playwright), headless."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed: pip install -r requirements-dev.txt")
    executable = shutil.which("chromium")
    if executable is None:
        missing("Chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open browser contexts (French, desktop unless told otherwise); all closed after the test."""
    opened = []

    def open_context(**options: Any) -> Any:
        defaults = {
            "base_url": live_server.url,
            "viewport": DESKTOP,
            "locale": "fr-FR",
            "timezone_id": "Europe/Paris",
            "accept_downloads": True,
        }
        context = browser.new_context(**{**defaults, **options})
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    """A desktop page (1280×800) under the site's real Content-Security-Policy."""
    return new_context().new_page()


@pytest.fixture
def mobile_page(new_context: Callable[..., Any]) -> Any:
    """A phone-sized page: 360×740, touch, the page's own viewport meta tag honoured."""
    return new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()


@pytest.fixture
def axe_page(new_context: Callable[..., Any]) -> Any:
    """A desktop page for the axe checks only.

    ``add_script_tag(path=...)`` inserts axe-core as an inline script, which the site's CSP
    (script-src 'self', no 'unsafe-inline') rightly blocks; bypassing the CSP in this
    context only lets the audit run without weakening the site. Journeys use ``page``.
    """
    return new_context(bypass_csp=True).new_page()


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Save a full-page screenshot as e2e/screenshots/<test>[-<step>]-<lang>.png."""

    def screenshot(page: Any, step: str = "") -> Path:
        language = page.evaluate("() => document.documentElement.lang") or "xx"
        parts = [request.node.name, step, language]
        name = "-".join(re.sub(r"[^A-Za-z0-9_.]+", "-", p).strip("-") for p in parts if p)
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return screenshot


@pytest.fixture
def sign_in(live_server: Any) -> Callable[[Any, Any], None]:
    """Give a browser context the session of a user, as if they had signed in."""

    def put_session(context: Any, user: Any) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        context.add_cookies([cookie])

    return put_session


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """allauth's rate limits live in the cache: each test starts with none used."""
    cache.clear()
