"""schema.org JobPosting for a mission, so search engines can list open postings."""

import json
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.countries import country_name
from core.text import posting_html
from missions.eligibility import MissionTerms, framework
from missions.languages import SOURCE_LANGUAGE, in_french_only
from missions.models import Mission

# The characters json_script escapes, so the JSON cannot close its <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def eligibility_requirement(terms: MissionTerms) -> str:
    """Who may apply, in words, by the mission's framework (schema.org's
    eligibilityToWorkRequirement)."""
    language = get_language()

    def names(codes: Iterable[str]) -> str:
        return ", ".join(sorted(country_name(code, language) for code in codes))

    rules = framework(terms.framework)
    if terms.is_vsi:
        sentence = _(
            "Volontariat de solidarité internationale (loi n° 2005-159) : ouvert sans condition "
            "de nationalité aux personnes majeures, sauf dans l'État dont elles sont "
            "ressortissantes ou résidentes régulières (%(country)s)."
        ) % {"country": names([terms.host_country])}
    elif rules.max_age_extended:
        sentence = _(
            "Service civique : de %(min)s à %(max)s ans (%(extended)s ans pour les personnes "
            "reconnues handicapées), pour les ressortissant·e·s de l'Union européenne ou de "
            "l'Espace économique européen et les étranger·e·s résidant en France depuis plus "
            "d'un an."
        ) % {
            "min": rules.youngest,
            "max": rules.max_age.value if rules.max_age else "",
            "extended": rules.max_age_extended,
        }
    else:
        sentence = _(
            "Volontariat international en entreprise : de %(min)s à %(max)s ans, pour les "
            "ressortissant·e·s de l'Union européenne ou de l'Espace économique européen."
        ) % {"min": rules.youngest, "max": rules.oldest}
    own = terms.excluded_nationalities - {terms.host_country}
    if own:
        sentence += " " + _("Nationalités exclues par la mission : %(countries)s.") % {
            "countries": names(own)
        }
    return str(sentence)


# The texts the document reads: all in the reader's language, or the document is in French
# (a city keeps its name in either: "Cotonou" is not a missing translation).
POSTING_FIELDS = ("title", "context", "summary", "expected_results", "tasks",
                  "profile_education", "profile_experience", "skills", "conditions")  # fmt: skip


def posting_language(mission: Mission) -> str:
    """The document's one language: the reader's when the mission is written in it, French
    (the source) when a field of it would be read in French."""
    language = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    if any(in_french_only(mission, field, language) for field in POSTING_FIELDS):
        return SOURCE_LANGUAGE
    return language


def job_posting(mission: Mission, *, url: str, terms: MissionTerms) -> dict[str, Any]:
    """The JobPosting document for a mission (``terms``: its eligibility parameters), with
    validThrough at the exact deadline; every text in one language, named by inLanguage."""
    language = posting_language(mission)
    with translation.override(language):
        return posting_document(mission, url=url, terms=terms, language=language)


def posting_document(
    mission: Mission, *, url: str, terms: MissionTerms, language: str
) -> dict[str, Any]:
    description = posting_description(mission)
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "inLanguage": language,
        "title": mission.title,
        "description": description,
        "identifier": {
            "@type": "PropertyValue",
            "name": mission.organisation,
            "value": mission.reference,
        },
        "url": url,
        "datePosted": (mission.published_on or mission.created_at.date()).isoformat(),
        # The closing instant, written in the mission's own time zone.
        "validThrough": mission.deadline_at.astimezone(ZoneInfo(mission.time_zone)).isoformat(),
        "employmentType": "VOLUNTEER",
        "hiringOrganization": {"@type": "Organization", "name": mission.organisation},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": mission.city,
                "addressCountry": mission.host_country.code,
            },
        },
        # Candidates apply on this site, at /missions/<reference>/apply/.
        "directApply": True,
        "jobStartDate": mission.start_date.isoformat(),
        "eligibilityToWorkRequirement": eligibility_requirement(terms),
    }
    if mission.profile_education:
        posting["educationRequirements"] = mission.profile_education
    if mission.min_experience_years:
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": mission.min_experience_years * 12,
        }
    if mission.skills:
        posting["skills"] = mission.skills
    return posting


def posting_description(mission: Mission) -> str:
    """The posting's sections as HTML: Google asks for the whole description."""
    sections = (
        (_("Contexte de la mission"), mission.context),
        (_("Résumé de la mission"), mission.summary),
        (_("Résultats attendus"), mission.expected_results),
        (_("Nature de la mission"), mission.tasks),
        (_("Profil souhaité"), "\n\n".join(
            part for part in (mission.profile_education, mission.profile_experience, mission.skills)
            if part
        )),
        (_("Conditions du contrat"), mission.conditions),
    )  # fmt: skip
    return "".join(
        format_html("<h2>{}</h2>{}", title, posting_html(text)) for title, text in sections if text
    )


def as_script_text(document: dict[str, Any]) -> str:
    """JSON safe to place inside a <script type="application/ld+json"> element."""
    return json.dumps(document, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
