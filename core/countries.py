"""Country names, looked up once per language: django-countries builds a name on every call
(about 13 µs), and a list page or an admin page shows the same few hundreds of times."""

from functools import lru_cache

from django_countries import countries


@lru_cache(maxsize=2048)
def country_name(code: str, language: str | None) -> str:
    """A country's name in a language (the active one: pass ``get_language()``); "" for none."""
    return str(countries.name(code)) if code else ""


# The member States of the European Union, and the three other parties to the agreement on the
# European Economic Area (Iceland, Liechtenstein, Norway): a VSI may not take place in any of
# them (loi n° 2005-159, art. 2), and their nationals may serve in a VIE or a service civique.
EUROPEAN_UNION = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
EU_EEA = EUROPEAN_UNION | {"IS", "LI", "NO"}
