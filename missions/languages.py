"""A mission's text in French and English: which fields, and how a page, an e-mail or a
search reads them.

Each of ``TRANSLATED_FIELDS`` has one column per language (``title_fr``, ``title_en``) next
to the original, registered with django-modeltranslation in ``missions/translation.py``;
``mission.title`` reads the active language's column, and an empty English column is read in
French, field by field (``MODELTRANSLATION_FALLBACK_LANGUAGES``). French is the source: a
mission is published with French alone, and ``in_french_only`` tells a page which of its
fields an English reader gets in French, to say so.
"""

from django.db.models import Model, Q
from django.utils import translation
from django.utils.translation import get_language

SOURCE_LANGUAGE = "fr"

# Every field a reader reads as text: the title, the places, each section of the posting.
TRANSLATED_FIELDS = (
    "title",
    "region",
    "city",
    "legal_basis",
    "context",
    "summary",
    "expected_results",
    "tasks",
    "important_notice",
    "profile_education",
    "profile_experience",
    "skills",
    "languages_note",
    "profile_other",
    "conditions",
    "selection",
    "application_subject",
)


def column(field: str, language: str) -> str:
    """The column of a translated field in a language: ``title_en``."""
    return f"{field}_{language}"


def in_french_only(instance: Model, field: str, language: str | None = None) -> bool:
    """Whether a reader in ``language`` (the active one) reads this field in French: it is
    empty in their language and written in French."""
    language = (language or get_language() or SOURCE_LANGUAGE).split("-")[0]
    if language == SOURCE_LANGUAGE:
        return False
    return not getattr(instance, column(field, language), "") and bool(
        getattr(instance, column(field, SOURCE_LANGUAGE), "")
    )


# What a reader of the page would read in French: the translated fields, but for the city
# (a place keeps its name in either language: "Cotonou"), the legal basis and the subject
# line (not on the page).
PAGE_FIELDS = tuple(
    field
    for field in TRANSLATED_FIELDS
    if field not in ("city", "legal_basis", "application_subject")
)


def lacking(language: str, fields: tuple[str, ...] = PAGE_FIELDS) -> Q:
    """Missions with a field of their page written in French and empty in ``language``."""
    condition = Q()
    for field in fields:
        empty = Q(**{f"{column(field, language)}__isnull": True}) | Q(
            **{column(field, language): ""}
        )
        condition |= empty & Q(**{f"{column(field, SOURCE_LANGUAGE)}__gt": ""})
    return condition


def text_in(instance: Model, field: str, language: str) -> str:
    """A translated field as a reader of ``language`` reads it (theirs, or French): what an
    e-mail or an export in that language says, whatever the language active here."""
    with translation.override(language):
        return str(getattr(instance, field))
