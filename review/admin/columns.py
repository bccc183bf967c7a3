"""The applications list: the fields its rows read, the texts of its computed columns, and its
rows written in one pass (core.admin_rows) for a list of tens of thousands of applications."""

import json
from functools import lru_cache

from django.conf import settings
from django.utils.translation import get_language

from applications.models import Application
from core.admin_rows import RowsChangeList
from core.countries import country_name
from missions.eligibility import Severity, render_message

# The mission's title in each language (missions/languages.py): the column shows the staff's
# language, or French.
MISSION_TITLE = tuple(f"mission__title_{code}" for code, _name in settings.LANGUAGES)
# What the list's columns read, and nothing else: not the profile snapshot or the letter, nor
# the mission's posting texts. A column reading another field would cost a query per row
# (the query-count tests would say so): add the field here with the column.
LIST_FIELDS = (
    "reference", "stage", "eligibility", "submitted_at", "volunteer", "mission", "assigned_to",
    "volunteer__first_name", "volunteer__last_name", "volunteer__nationalities",
    "volunteer__residence", "mission__reference", *MISSION_TITLE, "assigned_to__email",
)  # fmt: skip


class ApplicationChangeList(RowsChangeList):
    """The admin's list, reading for each row only the LIST_FIELDS its columns show, and
    writing its rows in one pass (``table``)."""

    list_fields = LIST_FIELDS


def candidate(application: Application) -> str:
    return f"{application.volunteer.last_name.upper()} {application.volunteer.first_name}"


def verdict(application: Application) -> str:
    """The staff notes of the eligibility snapshot, or a tick when there is none."""
    findings = application.eligibility.get("findings", [])
    language = get_language()
    notes = [
        note_text(f["code"], json.dumps(f["params"], sort_keys=True), language)
        for f in findings
        if f["severity"] == Severity.NOTE
    ]
    return " ; ".join(notes) if notes else "✓"


@lru_cache(maxsize=4096)
def note_text(code: str, params: str, language: str | None) -> str:
    """A staff note's sentence in a language, rendered once per distinct note."""
    return render_message(code, json.loads(params))


def nationalities(application: Application) -> str:
    language = get_language()
    return ", ".join(country_name(c.code, language) for c in application.volunteer.nationalities)


def residence(application: Application) -> str:
    return country_name(application.volunteer.residence.code, get_language())


def average_score(application: Application) -> str:
    value = getattr(application, "avg_score", None)
    return f"{value:.1f}" if value is not None else "—"
