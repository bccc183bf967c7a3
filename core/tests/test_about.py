"""/a-propos/: the accessibility statement and the privacy notice, as the project really is."""

import html
import re

import pytest

from volunteers.models import Volunteer
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_page_names_the_controller_and_the_contacts_the_operator_set(client, settings):
    settings.PRIVACY_CONTROLLER = "Association Solidarités Dakar"
    settings.PRIVACY_DPO_EMAIL = "dpo@solidarites.example"
    settings.ACCESSIBILITY_EMAIL = "a11y@solidarites.example"

    page = client.get("/a-propos/").content.decode()

    assert "Ce site est exploité par Association Solidarités Dakar." in text_of(page)
    assert "Association Solidarités Dakar est responsable des données" in text_of(page)
    assert page.count('href="mailto:dpo@solidarites.example"') == 2
    assert 'href="mailto:a11y@solidarites.example"' in page


def test_the_retention_period_shown_is_the_one_the_purge_applies(client, settings):
    settings.RETENTION_MONTHS = 18
    settings.PRIVACY_NOTICE_VERSION = "2027-03"

    text = text_of(client.get("/a-propos/").content.decode())

    assert "est anonymisé 18 mois après la dernière connexion" in text
    assert "Version 2027-03" in text


def test_every_field_of_the_profile_is_named_in_the_notice(client):
    """A new field fails this test until the notice says what it is for."""
    text = text_of(client.get("/a-propos/").content.decode()).lower()
    bookkeeping = {"id", "user", "created_at", "updated_at", "cv_uploaded_at"}

    names = [
        str(field.verbose_name)
        for field in Volunteer._meta.concrete_fields
        if field.name not in bookkeeping
    ]

    assert len(names) > 15
    assert [name for name in names if name.lower() not in text] == []


def test_the_statement_says_what_is_tested_and_no_more(client):
    from e2e.helpers import WCAG_TAGS

    text = text_of(client.get("/a-propos/").content.decode())

    assert WCAG_TAGS == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # what the text says
    # RGAA: without a valid audit, a site is declared "non conforme".
    assert "non conforme" in text and "tant qu'aucun audit n'a été réalisé" in text
    assert "axe-core sur les règles des WCAG 2.0 et 2.1, niveaux A et AA" in text


def test_the_english_page_is_in_english(client):
    response = client.get("/en/a-propos/")

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Accessibility statement" in text and "Privacy notice" in text
    assert "Déclaration d'accessibilité" not in text


def test_every_page_links_the_statement_and_the_notice_in_its_footer(client):
    page = client.get("/missions/").content.decode()
    footer = page[page.index("<footer") :]

    assert '<a href="/a-propos/#accessibilite">Accessibilité : non conforme</a>' in footer
    assert '<a href="/a-propos/#donnees-personnelles">Données personnelles</a>' in footer
    about = client.get("/a-propos/").content.decode()
    assert 'id="accessibilite"' in about and 'id="donnees-personnelles"' in about
    assert '<a href="/a-propos/" aria-current="page">À propos</a>' in about


def test_the_page_has_one_title_and_a_heading_for_each_part(client):
    page = client.get("/a-propos/").content.decode()

    assert page.count("<h1") == 1
    assert re.findall(r'<h2 id="([^"]+)"', page) == ["accessibilite", "donnees-personnelles"]


def test_the_consent_boxes_link_to_the_notice(client):
    client.force_login(UserFactory())

    page = client.get("/me/profile/").content.decode()

    assert '<a href="/a-propos/#donnees-personnelles">Lire la notice de confidentialité</a>' in page
