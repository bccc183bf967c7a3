"""Every finding's sentence, in French (the catalogues give the English), and how it is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core.countries import country_name
from core.dates import long_date
from missions.eligibility.findings import RULES_VERSION

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MESSAGES: dict[str, StrPromise] = {
    "mission_not_published": _("Cette mission n'est pas ouverte aux candidatures."),
    "knockout_answer": _(
        "Cette mission demande : « %(label)s » Votre réponse, « %(answer)s », ne permet pas "
        "d'y postuler."
    ),
    "deadline_passed": _("La date limite de candidature (%(deadline)s) est passée."),
    "host_nationality": _(
        "Un·e volontaire de solidarité internationale ne peut pas accomplir de mission dans "
        "l'État dont il ou elle est ressortissant·e ou résident·e régulier·e. Vous avez la "
        "nationalité de ce pays (%(country)s) : vous ne pouvez pas postuler à cette mission."
    ),
    "host_residence": _(
        "Un·e volontaire de solidarité internationale ne peut pas accomplir de mission dans "
        "l'État dont il ou elle est ressortissant·e ou résident·e régulier·e. Vous êtes "
        "résident·e régulier·e de ce pays (%(country)s) : vous ne pouvez pas postuler à cette "
        "mission."
    ),
    "residence_unclear": _(
        "Vit dans le pays d'accueil (%(country)s) sans s'y déclarer résident·e régulier·e : "
        "vérifier son titre de séjour avant de retenir la candidature."
    ),
    "past_residence": _("A résidé par le passé dans le pays d'accueil (%(country)s)."),
    "nationality_not_admitted": _(
        "Le programme de cette mission est réservé à d'autres nationalités que la vôtre."
    ),
    "framework_nationality": _(
        "Ce dispositif (%(framework)s) est ouvert aux ressortissant·e·s d'un État de l'Union "
        "européenne ou partie à l'accord sur l'Espace économique européen : vous n'en déclarez "
        "la nationalité d'aucun."
    ),
    "service_civique_nationality": _(
        "Le service civique est ouvert aux ressortissant·e·s de l'Union européenne ou de "
        "l'Espace économique européen, et aux étranger·e·s qui résident en France depuis plus "
        "d'un an avec un titre de séjour : vous ne déclarez ni une telle nationalité, ni une "
        "résidence régulière en France."
    ),
    "foreign_resident_france": _(
        "Étranger·e déclarant résider régulièrement en France : vérifier le titre de séjour et "
        "que le séjour dure depuis plus d'un an."
    ),
    "mission_nationality": _(
        "Cette mission n'est pas ouverte aux ressortissant·e·s de ce pays (%(country)s)."
    ),
    "mission_residence": _(
        "Cette mission n'est pas ouverte aux personnes qui résident dans ce pays (%(country)s)."
    ),
    "under_age": _(
        "Il faut avoir au moins %(min_age)s ans à la date prévue du contrat (%(date)s) ; vous "
        "aurez alors %(age)s ans."
    ),
    "over_age": _(
        "Cette mission est ouverte jusqu'à %(max_age)s ans à la date prévue du contrat "
        "(%(date)s) ; vous aurez alors %(age)s ans."
    ),
    "age_extended_only": _(
        "%(age)s ans à la date prévue du contrat : au-delà de %(max_age)s ans, le service "
        "civique n'est ouvert qu'aux personnes reconnues handicapées (jusqu'à %(extended)s ans)."
    ),
    "cumulative_cap": _(
        "La durée cumulée des missions de volontariat de solidarité internationale ne peut "
        "pas dépasser %(cap)s mois : %(done)s mois déjà effectués plus %(duration)s mois pour "
        "cette mission font %(total)s mois."
    ),
    "near_cumulative_cap": _(
        "Proche du plafond de %(cap)s mois de VSI cumulés : %(total)s mois avec cette mission."
    ),
    "vsi_months_unknown": _(
        "Durée des missions de VSI passées inconnue : vérifier le plafond de %(cap)s mois."
    ),
    "professional_activity": _(
        "Activité professionnelle en cours déclarée : le contrat de VSI exclut toute activité "
        "professionnelle pendant la mission."
    ),
    "reciprocity_visa": _(
        "Mission d'accueil en France : le contrat mentionne le visa du ou de la volontaire, "
        "qui a besoin d'un visa de long séjour."
    ),
    "reciprocity_return": _(
        "Mission d'accueil en France : recueillir l'engagement de retour à l'issue de la mission."
    ),
    "experience_below": _("%(years)s ans d'expérience sur %(required)s demandés."),
    "language_missing": _("Langue demandée non déclarée : %(language)s (niveau %(level)s)."),
    "language_below": _("Niveau déclaré en %(language)s : %(declared)s, pour %(level)s demandé."),
}

# The wording of earlier rule versions, where it changed: a snapshot is shown as it was judged.
LEGACY_MESSAGES: dict[str, dict[str, StrPromise]] = {
    "2026.11-1": {
        "host_nationality": _(
            "Un·e volontaire de solidarité internationale ne peut pas accomplir de mission "
            "dans un État dont il ou elle est ressortissant·e ou résident·e régulier·e. Vous "
            "avez la nationalité de ce pays (%(country)s) : vous ne pouvez pas postuler à "
            "cette mission."
        ),
        "host_residence": _(
            "Un·e volontaire de solidarité internationale ne peut pas accomplir de mission "
            "dans un État dont il ou elle est ressortissant·e ou résident·e régulier·e. Vous "
            "résidez dans ce pays (%(country)s) : vous ne pouvez pas postuler à cette mission."
        ),
        "under_age": _(
            "Il faut avoir au moins %(min_age)s ans au début de la mission ; vous en aurez %(age)s."
        ),
        "over_age": _(
            "Le programme de cette mission est ouvert jusqu'à %(max_age)s ans au début de la "
            "mission ; vous en aurez %(age)s."
        ),
    }
}

# Each rule in a few words, for the dashboard's refusals by rule (``RULE_NAMES.get(code, code)``).
RULE_NAMES: dict[str, StrPromise] = {
    "mission_not_published": _("Mission non ouverte"),
    "knockout_answer": _("Réponse éliminatoire à une question de la mission"),
    "deadline_passed": _("Date limite passée"),
    "host_nationality": _("Nationalité du pays d'accueil"),
    "host_residence": _("Résidence dans le pays d'accueil"),
    "residence_unclear": _("Résidence à préciser"),
    "past_residence": _("Résidence passée dans le pays d'accueil"),
    "nationality_not_admitted": _("Nationalité non admise par le dispositif"),
    "framework_nationality": _("Nationalité exigée par le dispositif"),
    "service_civique_nationality": _("Nationalité ou séjour (service civique)"),
    "foreign_resident_france": _("Séjour en France (mission de réciprocité)"),
    "mission_nationality": _("Nationalité demandée par la mission"),
    "mission_residence": _("Résidence demandée par la mission"),
    "under_age": _("Âge minimum"),
    "over_age": _("Âge maximum"),
    "age_extended_only": _("Âge au-delà de la limite, sauf exception"),
    "cumulative_cap": _("Durée totale de volontariat dépassée"),
    "near_cumulative_cap": _("Durée totale de volontariat presque atteinte"),
    "vsi_months_unknown": _("Durée de volontariat passée inconnue"),
    "professional_activity": _("Activité professionnelle pendant le contrat"),
    "reciprocity_visa": _("Visa (mission de réciprocité)"),
    "reciprocity_return": _("Retour prévu (mission de réciprocité)"),
    "experience_below": _("Expérience"),
    "language_missing": _("Langue non déclarée"),
    "language_below": _("Niveau de langue"),
}

FRAMEWORK_NAMES = {
    "vsi": _("Volontariat de solidarité internationale (VSI)"),
    "vie": _("Volontariat international en entreprise (VIE)"),
    "service_civique": _("Service civique à l'international"),
}


def render_message(code: str, params: Mapping[str, Any], version: str = RULES_VERSION) -> str:
    """A finding's sentence in the active language, in the wording of its rules' version."""
    shown = dict(params)
    if "country" in shown:
        shown["country"] = country_name(shown["country"], get_language()) or shown["country"]
    for key in ("deadline", "date"):
        if key in shown:
            shown[key] = long_date(dt.date.fromisoformat(shown[key]))
    if "language" in shown:
        shown["language"] = language_name(shown["language"])
    if "label_fr" in shown:  # a mission's own question, in the reader's language
        english = get_language() == "en"
        shown["label"] = shown["label_en" if english else "label_fr"]
        shown["answer"] = shown["answer_en" if english else "answer_fr"]
    if "framework" in shown:
        shown["framework"] = FRAMEWORK_NAMES.get(shown["framework"], shown["framework"])
    for key in ("level", "declared"):
        if shown.get(key) == "native":
            shown[key] = str(_("langue maternelle"))
    message = LEGACY_MESSAGES.get(version, {}).get(code) or MESSAGES[code]
    return str(message) % shown


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
