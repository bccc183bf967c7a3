"""The candidate's profile form as a person fills it in a real browser (Playwright), for the
end-to-end tests and the slow-link journey of the bench: one place that knows its labels."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ProfileAnswers:
    """What a candidate answers; the country is their nationality and their residence."""

    last_name: str
    birth_date: str  # as typed in the date field: YYYY-MM-DD
    country: str
    city: str
    phone: str
    education_field: str
    experience_years: int
    french_level: str  # a level of the languages formset: "C1", "native", …
    first_name: str = "Awa"


def fill_profile(page: Any, cv: Path, answers: ProfileAnswers) -> None:
    """Fill every required field of /me/profile/ and attach the CV; the caller saves."""
    page.get_by_label("Prénom").fill(answers.first_name)
    page.get_by_role("textbox", name=re.compile(r"^Nom\*?$")).fill(answers.last_name)
    page.get_by_label("Date de naissance").fill(answers.birth_date)
    page.get_by_label("Nationalités").select_option(answers.country)
    residence = page.get_by_role("combobox", name=re.compile(r"^Pays de résidence\*?$"))
    residence.select_option(answers.country)
    page.get_by_label("Dans quel(s) pays résidez-vous régulièrement").select_option(answers.country)
    page.get_by_label("Ville").fill(answers.city)
    page.get_by_label("Téléphone").fill(answers.phone)
    page.get_by_label("Mois de VSI déjà effectués").fill("0")
    page.get_by_role(
        "group", name="Avez-vous une activité professionnelle en cours ?"
    ).get_by_label("Non").check()
    page.get_by_label("Niveau d'études").select_option("bac5")
    page.get_by_label("Domaine d'études").fill(answers.education_field)
    page.get_by_label("Années d'expérience professionnelle").fill(str(answers.experience_years))
    page.get_by_label("Langue des e-mails").select_option("fr")
    page.locator("#id_cv").set_input_files(cv)
    page.get_by_label("J'accepte que Volontiers traite ces données").check()
    page.locator("#id_languages-0-language").select_option("fr")
    page.locator("#id_languages-0-level").select_option(answers.french_level)
