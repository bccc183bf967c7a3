"""A mission's page in English, in a real browser: a mission written in English reads in
English from top to bottom, interface and text; 3S1284, published in French only, keeps its
French text, marked lang="fr" for screen readers, with the note under each field."""

import io
import re

import pytest
from playwright.sync_api import Page, expect

from demo.management.commands.demo import Command
from e2e.helpers import assert_no_axe_violations
from e2e.tests.test_languages import FRENCH, french_left

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

NOTE = "Text available in French only."
SAMPLE = "3S1301"  # Cotonou, written in French and English

# Every text node shown on the page, outside elements marked in another language (the
# language switcher says "Français" in French, on purpose), and the page's title.
PAGE_TEXT = """() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, template")) continue;
    const tagged = parent.closest("[lang]");
    if (tagged && tagged !== document.documentElement && !tagged.lang.startsWith("en")) continue;
    if (parent.offsetParent === null && getComputedStyle(parent).position !== "fixed") continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  return texts;
}"""


@pytest.fixture
def demo_missions(live_server):
    """The demo's missions: 3S1284 as published, and the samples in both languages."""
    Command(stdout=io.StringIO()).load_missions()


def test_an_english_mission_page_has_no_french_at_all(page: Page, live_server, demo_missions):
    from missions.models import Mission

    page.goto(f"{live_server.url}/en/missions/{SAMPLE}/")

    assert page.evaluate("() => document.documentElement.lang") == "en"
    title = Mission.objects.get(reference=SAMPLE).title_en
    assert title and title.startswith("Support officer")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text(NOTE)).to_have_count(0)
    texts = page.evaluate(PAGE_TEXT)
    # An e-mail address is an address, in any language (candidatures@…).
    french = [text for text in texts if FRENCH.search(re.sub(r"\S+@\S+", "", text))]
    assert not french, "French on the English page:\n" + "\n".join(french)
    assert len(" ".join(texts)) > 3000  # the whole posting was read, not an empty page


def test_3s1284_in_english_keeps_its_french_text_with_the_note(
    page: Page, axe_page: Page, live_server, demo_missions
):
    page.goto(f"{live_server.url}/en/missions/3S1284/")

    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text("Chargé·e de développement des coopérations au Sénégal")
    expect(title).to_have_attribute("lang", "fr")
    notes = page.locator(".french-only")
    expect(notes.first).to_be_visible()
    expect(notes.first).to_have_text(NOTE)
    assert notes.count() >= 10  # the title and each section of the posting
    context = page.get_by_role("region", name="Mission context")
    expect(context.locator(".french-only")).to_have_text(NOTE)
    expect(context.locator('div[lang="fr"]')).to_contain_text("Sénégal")
    left = french_left(page)  # the interface around the French text: English
    assert not left, "French interface text:\n" + "\n".join(left)

    axe_page.goto(f"{live_server.url}/en/missions/3S1284/")
    assert_no_axe_violations(axe_page)
