"""The application page's read-only tables: the profile and the eligibility at submission."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from core.countries import country_name
from missions.eligibility import RULES_VERSION, Source, render_message
from volunteers.models import EducationLevel

# The words for a finding's severity in the eligibility table.
SEVERITIES = {"refusal": _("refus"), "note": _("remarque")}


def profile_table(application: Application) -> SafeString:
    """The profile as the candidate sent it, one row per item (each value as ``str()`` has
    it: numbers unlocalized, as in the snapshot)."""
    rows = [(label, str(value)) for label, value in profile_rows(application.profile)]
    return render_to_string("admin/applications/application/profile_table.html", {"rows": rows})


def profile_rows(profile: dict[str, Any]) -> list[tuple[Promise, Any]]:
    return [(label, value) for _key, label, value in profile_items(profile)]


def profile_items(profile: dict[str, Any]) -> list[tuple[str, Promise, Any]]:
    """(what the row shows, its label, its value): the key lets a reader's redactions drop
    a row (``selection.profiles``)."""
    languages = ", ".join(f"{code} {level}" for code, level in profile.get("languages", {}).items())
    name = f"{profile.get('last_name', '').upper()} {profile.get('first_name', '')}"
    regular = country_names(profile.get("regular_residences", [])) or "—"
    activity = yes_no(profile.get("professional_activity"))
    return [
        ("name", _("Nom"), name),
        ("email", _("E-mail"), profile.get("email", "")),
        ("phone", _("Téléphone"), profile.get("phone", "")),
        ("birth_date", _("Date de naissance"), profile.get("birth_date") or "—"),
        ("nationalities", _("Nationalités"), country_names(profile.get("nationalities", []))),
        ("residence", _("Résidence"), residence(profile)),
        ("regular_residences", _("Résidence régulière"), regular),
        ("vsi_months", _("Mois de VSI déjà effectués"), profile.get("vsi_months", "—")),
        ("professional_activity", _("Activité professionnelle en cours"), activity),
        ("education", _("Études"), education(profile)),
        ("experience_years", _("Années d'expérience"), profile.get("experience_years", "—")),
        ("languages", _("Langues"), languages or "—"),
    ]  # fmt: skip


def eligibility_table(application: Application) -> SafeString:
    """The eligibility snapshot taken at submission: the verdict, then each finding."""
    snapshot = application.eligibility
    version = snapshot.get("rules_version", "—")
    findings = [
        (
            SEVERITIES.get(f["severity"], f["severity"]),
            render_message(f["code"], f["params"], version),
            # Snapshots before rules 2026.12-1 did not say who set the rule.
            Source(f["source"]).label if "source" in f else "—",
            gettext(f["legal_basis"]),
        )
        for f in snapshot.get("findings", [])
    ]
    context = {
        "eligible": bool(snapshot.get("eligible")),
        "rules_version": version,
        "earlier_rules": version != RULES_VERSION,
        "evaluated_at": snapshot.get("evaluated_at", "—"),
        "findings": findings,
    }
    return render_to_string("admin/applications/application/eligibility_table.html", context)


def country_names(codes: list[str]) -> str:
    language = get_language()
    return ", ".join(country_name(code, language) for code in codes if code)


def residence(profile: dict[str, Any]) -> str:
    return f"{country_names([profile.get('residence', '')])}, {profile.get('city', '')}"


def yes_no(value: Any) -> Promise:
    return _("oui") if value else _("non")


def education(profile: dict[str, Any]) -> str:
    level = profile.get("education_level")
    label = EducationLevel(level).label if level in EducationLevel.values else "—"
    return f"{label} – {profile.get('education_field', '')}"
