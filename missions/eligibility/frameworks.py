"""The volunteering frameworks and what each one's texts require, article by article.

- **VSI**, volontariat de solidarité internationale: loi n° 2005-159 du 23 février 2005.
  Art. 1: the volunteer is an adult (*personne majeure*); the contract excludes any
  professional activity. Art. 2: no mission in a State of the European Union or party to the
  EEA agreement, nor in the State of which the volunteer is a national or a regular resident.
  Art. 4: one contract lasts at most two years; missions add up to at most six years. No
  condition of nationality. Since loi n° 2021-1031 (art. 8) and décret n° 2022-1067, a VSI
  can also host a foreign volunteer in France (reciprocity).
- **VIE**, volontariat international en entreprise: Code du service national, art. L122-1
  and following. Art. L122-3: six to twenty-four months.
- **Service civique** à l'international: Code du service national. Art. L120-1, II: six to
  twelve months, from sixteen to twenty-five years of age (thirty for a person recognised as
  disabled). Art. L120-4: French, EU or EEA nationals, and foreigners living in France for
  more than a year under a residence permit.

A condition that could not be checked against a text (the VIE's ages and nationalities, the
minimum age of a service civique abroad) is a framework setting cited as "règle du
dispositif, à confirmer", and ``settings.ELIGIBILITY_FRAMEWORK_SETTINGS`` may change it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.countries import EU_EEA
from missions.eligibility.findings import UNCONFIRMED, Basis, Source

VSI, VIE, SERVICE_CIVIQUE = "vsi", "vie", "service_civique"
ABROAD, HOSTED_IN_FRANCE = "abroad", "hosted_in_france"
ADULT_AGE = 18

VSI_LAW = "Loi n° 2005-159 du 23 février 2005"
VSI_ART_1 = Basis(Source.LAW, f"{VSI_LAW}, art. 1")
VSI_ART_2 = Basis(Source.LAW, f"{VSI_LAW}, art. 2")
VSI_ART_4 = Basis(Source.LAW, f"{VSI_LAW}, art. 4")
RECIPROCITY = Basis(Source.LAW, "Loi n° 2021-1031 du 4 août 2021, art. 8 ; décret n° 2022-1067")
CSN = "Code du service national"
CSN_L120_1 = Basis(Source.LAW, f"{CSN}, art. L120-1, II")
CSN_L120_4 = Basis(Source.LAW, f"{CSN}, art. L120-4")
CSN_L122_3 = Basis(Source.LAW, f"{CSN}, art. L122-3")
TO_CONFIRM = Basis(Source.FRAMEWORK, UNCONFIRMED)

VSI_CUMULATIVE_CAP_MONTHS = 72  # art. 4: six years in all
NEAR_CAP_MARGIN_MONTHS = 6


@dataclass(frozen=True)
class Bound:
    value: int
    basis: Basis


@dataclass(frozen=True)
class Framework:
    """One framework's own conditions; the rules (``rules.RULE_SETS``) read them."""

    code: str
    text: str  # the governing text, named in the README and the admin
    min_ages: tuple[Bound, ...]  # checked in order: the first one missed is the refusal
    max_age: Bound | None = None
    # Over max_age but at most this: allowed in one case only (a note for staff to check).
    max_age_extended: int | None = None
    months: tuple[int, int] = (1, 24)
    months_basis: Basis = TO_CONFIRM
    # Nationalities admitted; empty: every nationality.
    nationalities: frozenset[str] = frozenset()
    nationalities_basis: Basis = TO_CONFIRM

    @property
    def youngest(self) -> int:
        return max(bound.value for bound in self.min_ages)

    @property
    def oldest(self) -> int | None:
        return self.max_age_extended or (self.max_age.value if self.max_age else None)


FRAMEWORKS = {
    VSI: Framework(
        code=VSI,
        text=VSI_LAW,
        min_ages=(Bound(ADULT_AGE, VSI_ART_1),),
        months=(1, 24),
        months_basis=VSI_ART_4,
    ),
    VIE: Framework(
        code=VIE,
        text=f"{CSN}, art. L122-1 et suivants",
        min_ages=(Bound(ADULT_AGE, TO_CONFIRM),),
        max_age=Bound(28, TO_CONFIRM),
        months=(6, 24),
        months_basis=CSN_L122_3,
        nationalities=EU_EEA,
        nationalities_basis=TO_CONFIRM,
    ),
    SERVICE_CIVIQUE: Framework(
        code=SERVICE_CIVIQUE,
        text=f"{CSN}, art. L120-1 et suivants",
        min_ages=(Bound(16, CSN_L120_1), Bound(ADULT_AGE, TO_CONFIRM)),  # abroad: to confirm
        max_age=Bound(25, CSN_L120_1),
        max_age_extended=30,
        months=(6, 12),
        months_basis=CSN_L120_1,
        nationalities=EU_EEA,
        nationalities_basis=CSN_L120_4,
    ),
}


def framework(code: str) -> Framework:
    """A framework's conditions, with the operator's settings for those still to confirm."""
    base = FRAMEWORKS[code]
    changes: dict[str, Any] | None = getattr(settings, "ELIGIBILITY_FRAMEWORK_SETTINGS", {}).get(
        code
    )
    return configured(base, changes) if changes else base


def configured(base: Framework, changes: dict[str, Any]) -> Framework:
    """Only a condition cited "à confirmer" can be changed: the law's are the law's."""
    replace: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "min_age" and base.min_ages[-1].basis == TO_CONFIRM:
            replace["min_ages"] = (*base.min_ages[:-1], Bound(int(value), TO_CONFIRM))
        elif name == "max_age" and base.max_age is not None and base.max_age.basis == TO_CONFIRM:
            replace["max_age"] = Bound(int(value), TO_CONFIRM)
        elif name == "nationalities" and base.nationalities_basis == TO_CONFIRM:
            replace["nationalities"] = frozenset(value)
        else:
            raise ImproperlyConfigured(
                f"ELIGIBILITY_FRAMEWORK_SETTINGS[{base.code!r}][{name!r}]: only a condition "
                "the project cites as 'à confirmer' can be configured."
            )
    return dataclasses.replace(base, **replace)
