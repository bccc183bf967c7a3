"""The admin in correct French: every model's names and every action, as staff read them.

Third-party apps bring their own French, some of it wrong; our catalogue corrects it
(locale/fr/third-party.po.in, merged into locale/fr/LC_MESSAGES/django.po by `make messages`).
"""

import html
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Misspellings seen in the admin, or of the same kind (an agreement missed, a word misspelt).
KNOWN_MISSPELLINGS = [
    r"candidatures sélectionnés",
    r"tâches périodique\b",
    r"\bintervales?\b",
    r"[ée]v[èé]nements solaire\b",
    r"\bpersonalisée",
    r"\bintervalée\b",
    r"a fonctionnée",
    r"l' objet",
    r"adresse électronique",  # the rest of the site says "adresse e-mail"
    r"\bchaque \d+",  # "chaque 5 minutes"
    r"(?:tous|sélectionner tous) les \d+ (?:candidatures|tâches|missions)",
    # The construct itself: the admin cannot make the agreement for every model.
    r"Supprimer les \S+ \S* ?sélectionnés",
]

# What staff read instead.
CORRECTED = [
    "Tâches périodiques",
    "Intervalles",
    "Événements solaires",
    "Supprimer la sélection (candidatures)",
    "Activer les tâches sélectionnées",
]

# A word in capitals after the first is English title case ("Tâches Périodique"), unless it is
# an acronym (CSV, ZIP) or one of these names.
PROPER_NOUNS = {"Axes"}


def misspellings(text: str) -> list[str]:
    return [pattern for pattern in KNOWN_MISSPELLINGS if re.search(pattern, text, re.IGNORECASE)]


def title_cased(name: str) -> bool:
    words = re.findall(r"[^\W\d_]+", name)
    return any(
        word[0].isupper() and not word.isupper() and word not in PROPER_NOUNS for word in words[1:]
    )


def admin_names(superuser) -> list[str]:
    """Every app's and model's name, singular and plural, and every action, in French."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    names: list[str] = []
    with translation.override("fr"):
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            names += [
                str(apps.get_app_config(opts.app_label).verbose_name),
                str(opts.verbose_name),
                str(opts.verbose_name_plural),
            ]
            names += [str(label) for _name, label in model_admin.get_action_choices(request)[1:]]
    return names


def test_the_names_and_actions_of_the_admin_have_no_known_misspelling():
    superuser = UserFactory(is_staff=True, is_superuser=True)

    names = admin_names(superuser)

    assert len(names) > 50  # every model, with its actions
    assert {name: misspellings(name) for name in names if misspellings(name)} == {}
    assert [name for name in names if title_cased(name)] == []
    assert {"tâches périodiques", "intervalles", "événements solaires"} <= set(names)


def test_a_model_name_that_stays_the_same_in_the_plural_is_invariable():
    with translation.override("fr"):
        twins = [
            str(model._meta.verbose_name)
            for model in admin.site._registry
            if str(model._meta.verbose_name) == str(model._meta.verbose_name_plural)
            and not str(model._meta.verbose_name).endswith(("s", "x", "z"))
        ]

    assert twins == []  # django-celery-beat's "horaire" / "horaire" was one


def test_the_check_finds_the_misspellings_it_lists():
    assert misspellings("Supprimer les candidatures sélectionnés") != []
    assert misspellings("Tâches Périodique") != [] and title_cased("Tâches Périodique")
    assert misspellings("Intervales") != [] and misspellings("Évènements solaire") != []
    assert misspellings("Sélectionner tous les 120 candidatures") != []
    assert misspellings("Supprimer la sélection (candidatures)") == []
    assert not title_cased("Exporter les documents (ZIP)")


def text_of(page: str) -> str:
    """What a reader sees of an admin page: its text, and its options' and buttons' labels."""
    without_scripts = re.sub(r"<script.*?</script>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_scripts))


def test_the_admin_index_and_every_changelist_read_correctly_in_french(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    pages = ["/admin/"] + [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    ]

    texts = {}
    for url in pages:
        response = client.get(url, headers={"accept-language": "fr"})
        assert response.status_code == 200, url
        texts[url] = text_of(response.content.decode())

    assert {url: misspellings(text) for url, text in texts.items() if misspellings(text)} == {}
    everything = " ".join(texts.values())
    assert [form for form in CORRECTED if form not in everything] == []
