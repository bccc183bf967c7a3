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
    languages = ", ".join(f"{code} {level}" for code, level in profile.get("languages", {}).items())
    return [
        (_("Nom"), f"{profile.get('last_name', '').upper()} {profile.get('first_name', '')}"),
        (_("E-mail"), profile.get("email", "")),
        (_("Téléphone"), profile.get("phone", "")),
        (_("Date de naissance"), profile.get("birth_date") or "—"),
        (_("Nationalités"), country_names(profile.get("nationalities", []))),
        (_("Résidence"), residence(profile)),
        (_("Résidence régulière"), country_names(profile.get("regular_residences", [])) or "—"),
        (_("Mois de VSI déjà effectués"), profile.get("vsi_months", "—")),
        (_("Activité professionnelle en cours"), yes_no(profile.get("professional_activity"))),
        (_("Études"), education(profile)),
        (_("Années d'expérience"), profile.get("experience_years", "—")),
        (_("Langues"), languages or "—"),
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
