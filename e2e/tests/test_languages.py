"""English pages say everything in English: a French UI string left on them is a missing translation.

The posting itself (its sections, the mission's title, region, organisation) is written in
French and stays so; so do what candidates typed. Those are taken out before looking.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application
from e2e.tests.pages import SCENARIOS, Visit
from missions.eligibility import Basis, frameworks
from missions.models import Mission, Partner, Programme
from volunteers.models import Volunteer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Whole words or phrases of the French interface, none of which an English page should show.
FRENCH_UI = [
    "Postuler", "Missions de volontariat", "Mon espace", "[Cc]andidatures?", "Se connecter",
    "Créer un compte", "Connexion", "Courriel", "Mot de passe", "Enregistrer", "Vérifier",
    "Filtrer", "Rechercher", "Tous les pays", "Date limite", "Retirer", "Brouillon",
    "Lettre de motivation", "Étape", "Envoyée", "Vous pouvez", "Vous ne pouvez pas", "Règles",
    "Aller au contenu", "Navigation principale", "Fil d’Ariane", "Page introuvable",
    "Choisissez", "obligatoire", "Annuler", "Oui", "Non", "mois", "jours", "heure de",
    "Profil", "Nationalités", "Pays", "Téléphone", "Langues?", "Niveau", "Envoyer", "Lieu",
    "Statut", "Durée", "Début", "Publiée", "langue maternelle",
    "janvier", "février", "avril", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
]  # fmt: skip
FRENCH = re.compile(r"\b(" + "|".join(FRENCH_UI) + r")\b")

# The interface's text on the page: chrome, headings, forms, messages, tables, key facts,
# accessible names and placeholders; not the posting's own sections, nor other languages
# (the language switcher says "Français" in French, on purpose).
UI_TEXT = """() => {
  const posting = "main article section[aria-labelledby]:not([aria-labelledby=facts-title])"
    + ":not([aria-labelledby=eligibility-title]):not([aria-labelledby=apply-title]),"
    + " main article [role=note]";
  const ui = "body > a, header, footer, main nav, main h1, main h2, main h3, main label, main legend,"
    + " main button, main summary, main th, main td, main dt, main dd, main caption, main p,"
    + " main li, main .alert, main .form-text, main .invalid-feedback, main option:checked";
  const foreign = (el) => {
    const tagged = el.closest("[lang]");
    return tagged && tagged !== document.documentElement && !tagged.lang.startsWith("en");
  };
  const texts = [["title", document.title]];
  for (const el of document.querySelectorAll(ui)) {
    if (foreign(el)) continue;
    if (el.closest(posting) && !/^H[23]$/.test(el.tagName)) continue;
    if (el.offsetParent === null && el.tagName !== "OPTION") continue;
    texts.push([el.tagName.toLowerCase(), el.innerText || el.textContent]);
  }
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title], [data-saved]")) {
    if (foreign(el)) continue;
    for (const name of ["aria-label", "placeholder", "title", "data-saved"]) {
      if (el.hasAttribute(name)) texts.push([name, el.getAttribute(name)]);
    }
  }
  return texts;
}"""


def content_strings() -> list[str]:
    """What missions and candidates wrote, in French on purpose: not the interface's.

    The texts cited by a refusal keep their official French titles.
    """
    laws = [b for b in vars(frameworks).values() if isinstance(b, Basis) and b.source == "law"]
    strings: set[str] = {frameworks.VSI_LAW, frameworks.CSN, *(b.citation for b in laws)}
    for mission in Mission.objects.all():
        strings |= {mission.title, mission.region, mission.organisation, mission.city}
        strings.add(mission.contact_email)
        strings |= {line.strip() for line in mission.languages_note.splitlines()}
    strings |= set(Programme.objects.values_list("name", flat=True))
    strings |= set(Partner.objects.values_list("name", flat=True))
    for volunteer in Volunteer.objects.all():
        strings |= {volunteer.first_name, volunteer.last_name, volunteer.education_field}
    strings |= set(Application.objects.values_list("motivation", flat=True))
    return sorted((s for s in strings if s), key=len, reverse=True)


def french_left(page: Page) -> list[str]:
    content = content_strings()
    found = []
    for where, text in page.evaluate(UI_TEXT):
        shown = " ".join(str(text).split())
        for piece in content:
            shown = shown.replace(piece, "…")
        for match in FRENCH.finditer(shown):
            start = max(match.start() - 40, 0)
            found.append(f"{where}: «{match.group(0)}» in “{shown[start : match.end() + 40]}”")
    return sorted(set(found))


@pytest.mark.parametrize("name", SCENARIOS)
def test_english_pages_show_no_french_interface_text(page: Page, sign_in, tmp_path, name):
    SCENARIOS[name](Visit(page, sign_in, tmp_path, "/en"))

    assert page.evaluate("() => document.documentElement.lang") == "en"
    left = french_left(page)
    assert not left, f"French left on {page.url}:\n" + "\n".join(left)


def test_the_french_list_catches_the_french_pages(page: Page, sign_in, tmp_path):
    """The check itself: on the French apply page it finds the words it looks for."""
    SCENARIOS["apply"](Visit(page, sign_in, tmp_path, ""))

    left = " ".join(french_left(page))
    for word in (
        "Postuler",
        "Mon espace",
        "Lettre de motivation",
        "Enregistrer",
        "Aller au contenu",
    ):
        assert f"«{word}»" in left


def test_french_pages_name_language_levels_in_french(page: Page, sign_in, tmp_path):
    """/me/ lists the candidate's languages with their level as the reader says it."""
    SCENARIOS["me"](Visit(page, sign_in, tmp_path, ""))

    languages = page.locator("main dt", has_text="Langues").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(languages).to_contain_text("français (langue maternelle)")
    expect(languages).not_to_contain_text("native")
