"""Country names, looked up once per language: django-countries builds a name on every call
(about 13 µs), and a list page or an admin page shows the same few hundreds of times."""

from functools import lru_cache

from django_countries import countries


@lru_cache(maxsize=2048)
def country_name(code: str, language: str | None) -> str:
    """A country's name in a language (the active one: pass ``get_language()``); "" for none."""
    return str(countries.name(code)) if code else ""
