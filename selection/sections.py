"""What one candidate's section of the dossier says, redactions applied: the rows its template
(``selection/dossier/candidate.html``) shows, read from the application's snapshots and rows.

A redacted field is left out here, before any template sees it: the date of birth and the
age; the nationalities, residences and city; the e-mail address and the phone; with the
documents, the CV and the letter, their names and the files answering a question. Eligibility
findings that would tell a redacted fact (an age, a country of nationality or residence) are
replaced by a sentence saying that they are masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.models import Answer, Application, ApplicationDocument, Note, Review
from core.countries import country_name
from core.dates import long_date
from missions.eligibility import render_message
from missions.models import QuestionKind
from review.services import mission_criteria
from selection.models import PartnerOpinion
from selection.redactions import Redactions
from volunteers.models import EducationLevel

# The findings that tell an age, or a country the candidate belongs to or lives in.
AGE_FINDINGS = frozenset({"under_age", "over_age", "age_extended_only"})
COUNTRY_FINDINGS = frozenset({
    "host_nationality", "host_residence", "residence_unclear", "past_residence",
    "nationality_not_admitted", "framework_nationality", "service_civique_nationality",
    "foreign_resident_france", "mission_nationality", "mission_residence",
    "reciprocity_visa", "reciprocity_return",
})  # fmt: skip
# The documents appended after a candidate's section, in this order.
APPENDED_KINDS = (ApplicationDocument.Kind.CV, ApplicationDocument.Kind.LETTER)
MASKED = _("masqué")


@dataclass
class Section:
    """One candidate's section: its rows for the template and the documents to append."""

    application: Application
    name: str
    profile: list[tuple[Promise | str, str]]
    answers: list[tuple[str, str]]
    eligible: bool
    findings: list[tuple[Promise | str, str]]
    notes: list[Note] = field(default_factory=list)
    reviews: list[tuple[Review, list[tuple[str, Any]]]] = field(default_factory=list)
    opinions: list[PartnerOpinion] = field(default_factory=list)
    documents: list[ApplicationDocument] = field(default_factory=list)


def dossier_queryset(
    applications: QuerySet[Application], *, staff_sections: bool
) -> QuerySet[Application]:
    """The applications in reference order with what their sections read, a few queries per
    chunk of applications (iterate it with a ``chunk_size``)."""
    related = [
        Prefetch("answers", Answer.objects.order_by("position", "pk")),
        Prefetch(
            "documents",
            ApplicationDocument.objects.filter(kind__in=APPENDED_KINDS).order_by("kind"),
        ),
    ]
    if staff_sections:
        related += [
            Prefetch("notes", Note.objects.select_related("author")),
            Prefetch("reviews", Review.objects.select_related("reviewer").order_by("created_at")),
            Prefetch("partner_opinions", PartnerOpinion.objects.select_related("link")),
        ]
    return (
        Application.objects.filter(pk__in=applications.values("pk"))
        .select_related("mission")
        .prefetch_related(*related)
        .order_by("reference", "pk")
    )


def section(application: Application, redactions: Redactions, *, staff_sections: bool) -> Section:
    """One candidate's section, redacted, in the active language."""
    profile = application.profile or {}
    snapshot = application.eligibility or {}
    return Section(
        application=application,
        name=full_name(profile),
        profile=profile_rows(profile, redactions),
        answers=answer_rows(application, redactions),
        eligible=bool(snapshot.get("eligible")),
        findings=finding_rows(snapshot, redactions),
        notes=list(application.notes.all()) if staff_sections else [],
        reviews=review_rows(application) if staff_sections else [],
        opinions=list(application.partner_opinions.all()) if staff_sections else [],
        documents=[] if redactions.documents else list(application.documents.all()),
    )


def full_name(profile: dict[str, Any]) -> str:
    return f"{profile.get('last_name', '').upper()} {profile.get('first_name', '')}".strip()


def profile_rows(profile: dict[str, Any], hide: Redactions) -> list[tuple[Promise | str, str]]:
    """The profile as sent, without what ``hide`` redacts."""
    language = get_language()
    rows: list[tuple[Promise | str, str]] = []
    if not hide.contact:
        rows += [(_("E-mail"), profile.get("email") or "—")]
        rows += [(_("Téléphone"), profile.get("phone") or "—")]
    if not hide.birth_date:
        birth = profile.get("birth_date")
        shown = long_date(dt.date.fromisoformat(birth)) if birth else "—"
        rows += [(_("Date de naissance"), shown)]
    if not (hide.nationality or hide.contact):
        rows += [(_("Ville"), profile.get("city") or "—")]
    if not hide.nationality:
        rows += [
            (_("Nationalités"), country_list(profile.get("nationalities", []), language)),
            (_("Pays de résidence"), country_list([profile.get("residence", "")], language)),
            (
                _("Résidence régulière"),
                country_list(profile.get("regular_residences", []), language),
            ),
        ]
    level = profile.get("education_level")
    education = EducationLevel(level).label if level in EducationLevel.values else "—"
    languages = profile.get("languages", {})
    rows += [
        (_("Études"), f"{education} – {profile.get('education_field', '')}".strip(" –")),
        (_("Années d'expérience"), str(profile.get("experience_years", "—"))),
        (_("Langues"), ", ".join(f"{c} {lvl}" for c, lvl in sorted(languages.items())) or "—"),
    ]
    return rows


def country_list(codes: list[str], language: str | None) -> str:
    return ", ".join(country_name(code, language) for code in codes if code) or "—"


def answer_rows(application: Application, hide: Redactions) -> list[tuple[str, str]]:
    """Each answer as it was frozen: the question and the answer's text; a file's name is
    masked with the documents."""
    language = get_language() or "fr"
    rows = []
    for answer in application.answers.all():
        text = answer.text(language)
        if answer.kind == QuestionKind.FILE and hide.documents:
            text = str(MASKED)
        rows.append((answer.label(language), text or "—"))
    return rows


def finding_rows(snapshot: dict[str, Any], hide: Redactions) -> list[tuple[Promise | str, str]]:
    """Each finding of the eligibility snapshot: its severity and its sentence (or, when it
    would tell a redacted fact, a sentence saying so)."""
    version = snapshot.get("rules_version", "")
    rows: list[tuple[Promise | str, str]] = []
    for finding in snapshot.get("findings", []):
        severity = _("refus") if finding.get("severity") == "refusal" else _("remarque")
        code = finding.get("code", "")
        if hide.birth_date and code in AGE_FINDINGS:
            rows.append((severity, str(_("Constat sur l'âge, masqué pour ce lien."))))
        elif hide.nationality and code in COUNTRY_FINDINGS:
            rows.append((severity, str(_("Constat sur la nationalité ou la résidence, masqué."))))
        else:
            args = (code, finding.get("params", {}), *([version] if version else []))
            rows.append((severity, render_message(*args)))
    return rows


def review_rows(application: Application) -> list[tuple[Review, list[tuple[str, Any]]]]:
    """Each staff review with its scores by criterion, labelled as the mission names them."""
    criteria = mission_criteria(application.mission)
    return [
        (review, [(criteria.get(code, code), score) for code, score in review.scores.items()])
        for review in application.reviews.all()
    ]
