"""A mission's text in French and English: its fields registered with django-modeltranslation,
which looks for this module in each app (the fields, and how they are read:
``missions.languages``)."""

from modeltranslation.translator import TranslationOptions, register

from missions.languages import TRANSLATED_FIELDS
from missions.models import Mission


@register(Mission)
class MissionTranslationOptions(TranslationOptions):
    fields = TRANSLATED_FIELDS
    # An English column left blank ("") is read in French, as one never written (NULL).
    fallback_undefined = ""
