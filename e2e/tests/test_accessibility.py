"""WCAG 2.1 A/AA with axe-core, labels, focus, the skip link, the keyboard and small screens."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_axe_violations, candidate, dakar_mission
from e2e.tests.pages import LANGUAGES, SCENARIOS, Visit

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Every visible form control and the reason it has no label, if it has none.
UNLABELLED_FIELDS = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter((el) => el.type !== "hidden" && el.offsetParent !== null)
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-labelledby"))
  .map((el) => el.outerHTML.slice(0, 160))"""

# Whether the focused element shows it: an outline or a focus ring drawn as a box shadow.
FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", SCENARIOS)
def test_axe_finds_no_wcag_violation(axe_page: Page, sign_in, tmp_path, shoot, name, lang):
    SCENARIOS[name](Visit(axe_page, sign_in, tmp_path, LANGUAGES[lang]))

    shoot(axe_page)
    assert_no_axe_violations(axe_page)


@pytest.mark.parametrize("name", SCENARIOS)
def test_pages_fit_a_360_pixel_screen_without_sideways_scrolling(
    mobile_page: Page, sign_in, tmp_path, shoot, name
):
    SCENARIOS[name](Visit(mobile_page, sign_in, tmp_path, ""))

    shoot(mobile_page)
    width = mobile_page.evaluate("() => document.scrollingElement.scrollWidth")
    wider = mobile_page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > 361)
            .slice(0, 5).map((el) => el.outerHTML.slice(0, 120))"""
    )
    assert width <= 360 + 1, f"{mobile_page.url} is {width}px wide at 360px: {wider}"


# Ids used twice: a label's "for" then names the first element only (axe no longer checks this).
DUPLICATE_IDS = """() => [...document.querySelectorAll("[id]")].map((el) => el.id)
  .filter((id, index, ids) => ids.indexOf(id) !== index)"""


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_visible_form_field_has_a_label(page: Page, sign_in, tmp_path, name):
    SCENARIOS[name](Visit(page, sign_in, tmp_path, ""))

    assert page.evaluate(DUPLICATE_IDS) == [], f"ids used twice on {page.url}"
    assert page.evaluate(UNLABELLED_FIELDS) == [], f"fields without a label on {page.url}"


def test_form_errors_are_announced_and_tied_to_their_fields(page: Page, sign_in, tmp_path):
    SCENARIOS["profile-with-errors"](Visit(page, sign_in, tmp_path, ""))

    expect(page.get_by_role("alert").first).to_contain_text("Le profil n'est pas enregistré")
    invalid = page.locator("main [aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    unexplained = page.evaluate(
        """() => [...document.querySelectorAll("main [aria-invalid=true]")].filter((field) => {
            const holder = field.closest("fieldset[aria-describedby]") || field;
            const ids = (holder.getAttribute("aria-describedby") || "").split(/\\s+/);
            return !ids.some((id) => id && document.getElementById(id)
                             && document.getElementById(id).classList.contains("invalid-feedback"));
          }).map((field) => field.name)"""
    )
    assert unexplained == []
    expect(
        page.get_by_role("textbox", name=re.compile("^Téléphone"))
    ).to_have_accessible_description(re.compile("Numéro non reconnu"))


@pytest.mark.parametrize(
    ("lang", "skip_text"), [("fr", "Aller au contenu"), ("en", "Skip to content")]
)
def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(
    page: Page, lang, skip_text
):
    dakar_mission()
    page.goto(f"{LANGUAGES[lang]}/missions/3S9001/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text(skip_text)
    expect(skip).to_be_visible()  # visually hidden until focused
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the main content, past the menus
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def tab_to(page: Page, target, limit: int = 80) -> None:
    """Press Tab until the target has the focus; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_SHOWN), (
            f"no visible focus on {page.evaluate('() => document.activeElement.outerHTML.slice(0, 120)')}"
        )
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{target} cannot be reached with Tab on {page.url}")


def test_a_candidate_applies_with_the_keyboard_alone(page: Page, sign_in, tmp_path, shoot):
    """Tab, Space and Enter only; a file is chosen with set_input_files (a native dialog)."""
    from testing.documents import docx_bytes

    mission = dakar_mission()
    volunteer = candidate(user__email="awa@example.org")
    sign_in(page.context, volunteer.user)
    letter = tmp_path / "lettre.docx"
    letter.write_bytes(docx_bytes())
    page.goto(f"/missions/{mission.reference}/")

    tab_to(page, page.get_by_role("link", name="Postuler en ligne"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/apply/$"))

    letter_input = page.get_by_label("Lettre de motivation")
    tab_to(page, letter_input)
    letter_input.set_input_files(letter)  # what the file chooser would do
    tab_to(page, page.get_by_label("Utiliser le CV de mon profil"))
    expect(page.get_by_label("Utiliser le CV de mon profil")).to_be_checked()
    tab_to(page, page.get_by_label("Quelques mots de motivation"))
    page.keyboard.type("Six ans dans l'ESS.")
    for label in ("Je certifie que les informations", "J'accepte que ma candidature"):
        box = page.get_by_label(label)
        tab_to(page, box)
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Vérifier avant l'envoi"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre candidature")
    expect(page.get_by_role("main")).to_contain_text("lettre.docx")
    tab_to(page, page.get_by_role("button", name="Envoyer ma candidature"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Candidature {mission.reference}-0001"
    )
    shoot(page, "sent")
