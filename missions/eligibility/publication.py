"""Why a mission may not be published: its own terms contradict its framework's law."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.countries import EU_EEA, country_name
from missions.eligibility import frameworks as fw
from missions.eligibility.messages import FRAMEWORK_NAMES
from missions.eligibility.terms import ProgrammeTerms


def publication_problems(
    *,
    framework: str,
    direction: str,
    host_country: str,
    duration_months: int,
    min_age: int,
    programmes: Iterable[ProgrammeTerms] = (),
) -> dict[str, list[str]]:
    """What stands in the way, by the field to correct; empty when the mission may be published."""
    rules = fw.framework(framework)
    problems: dict[str, list[str]] = {}
    shortest, longest = rules.months
    if not shortest <= duration_months <= longest:
        message = _(
            "Une mission de %(framework)s dure de %(min)s à %(max)s mois (%(basis)s) : "
            "corrigez la durée avant de publier."
        )
        problems["duration_months"] = [
            message
            % {
                "framework": FRAMEWORK_NAMES[framework],
                "min": shortest,
                "max": longest,
                "basis": rules.months_basis.citation,
            }
        ]
    host_problem = host_country_problem(framework, direction, host_country)
    if host_problem:
        problems["host_country"] = [host_problem]
    bracket = age_bracket_problem(framework, min_age, programmes)
    if bracket:
        problems["min_age"] = [bracket]
    return problems


def host_country_problem(framework: str, direction: str, host_country: str) -> str | None:
    if direction == fw.HOSTED_IN_FRANCE:
        if framework != fw.VSI:
            return _("Seule une mission de VSI peut accueillir un·e volontaire en France.")
        if host_country != "FR":
            return _("Une mission d'accueil en France a la France pour pays d'accueil.")
        return None
    if framework == fw.VSI and host_country in EU_EEA:
        return _(
            "Un VSI ne peut pas se dérouler dans un État membre de l'Union européenne ou partie "
            "à l'accord sur l'Espace économique européen (%(country)s ; loi n° 2005-159, "
            "art. 2). Seule une mission d'accueil en France, par réciprocité, le peut."
        ) % {"country": country_name(host_country, None)}
    return None


def age_bracket_problem(
    framework: str, min_age: int, programmes: Iterable[ProgrammeTerms] = ()
) -> str | None:
    """When the framework's, the programmes' and the mission's ages leave nobody old enough
    and young enough to apply."""
    rules = fw.framework(framework)
    programmes = list(programmes)
    youngest = max(
        [rules.youngest, min_age, *(p.min_age for p in programmes if p.min_age is not None)]
    )
    uppers = [p.max_age for p in programmes if p.max_age is not None]
    if rules.oldest is not None:
        uppers.append(rules.oldest)
    if uppers and youngest > min(uppers):
        return _(
            "Aucun âge ne satisfait à la fois le dispositif, les programmes et la mission : au "
            "moins %(min)s ans et au plus %(max)s ans. Corrigez l'âge minimum ou les programmes."
        ) % {"min": youngest, "max": min(uppers)}
    return None
