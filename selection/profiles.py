"""A candidate's file as a reader outside staff gets it: the profile sent, with the link's
redactions applied before anything is rendered (a redacted value never reaches a page or a
PDF), and the eligibility verdict in plain words."""

from typing import Any

from django.utils.functional import Promise

from applications.models import Application
from missions.eligibility import RULES_VERSION, render_message
from review.admin.detail import profile_items
from selection.redactions import Redactions

# The snapshot's keys (and the profile rows) each redaction removes.
REDACTED_KEYS = {
    "birth_date": ("birth_date", "age"),
    "nationality": (
        "nationalities",
        "regular_residences",
        "previous_residences",
        "residence",
        "city",
    ),
    "contact": ("email", "phone", "address", "postal_code"),
}


def hidden_keys(redactions: Redactions) -> set[str]:
    return {
        key for name, keys in REDACTED_KEYS.items() if getattr(redactions, name) for key in keys
    }


def redacted_profile(profile: dict[str, Any], redactions: Redactions) -> dict[str, Any]:
    hidden = hidden_keys(redactions)
    return {key: value for key, value in profile.items() if key not in hidden}


def visible_rows(application: Application, redactions: Redactions) -> list[tuple[Promise, Any]]:
    """The profile table's rows, without those of what is redacted (nor their values)."""
    hidden = hidden_keys(redactions)
    profile = redacted_profile(application.profile, redactions)
    return [(label, value) for key, label, value in profile_items(profile) if key not in hidden]


def verdict(application: Application) -> dict[str, Any]:
    """The eligibility at submission: eligible or not, and each finding's sentence."""
    snapshot = application.eligibility or {}
    version = snapshot.get("rules_version", RULES_VERSION)
    return {
        "eligible": bool(snapshot.get("eligible")),
        "findings": [
            render_message(f["code"], f["params"], version) for f in snapshot.get("findings", [])
        ],
    }
