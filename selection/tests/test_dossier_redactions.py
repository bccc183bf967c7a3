"""What a partner's link redacts appears nowhere in the dossier: not in a page's text, a
finding's sentence, a bookmark, the metadata nor an attached file."""

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationDocument
from applications.tests.factories import answered
from missions.models import QuestionKind
from missions.tests.factories import QuestionFactory
from selection.dossier import dossier_file
from selection.redactions import NONE, Redactions
from selection.tests.pdfs import everything, read

pytestmark = pytest.mark.django_db

BIRTH = ("14 mars 1993", "1993")
NATIONALITY = ("Sénégal", "Belgique", "Liège")
CONTACT = ("awa.diallo@example.org", "+32470123456", "470 12 34 56", "Liège")
DOCUMENTS = ("Curriculum page une", "Lettre de motivation d'Awa", "cv-awa.pdf",
             "lettre-awa.pdf", "diplome-awa.pdf")  # fmt: skip


@pytest.fixture
def awa(candidate):
    """With a finding telling her age and one telling her residence, and a file answer."""
    candidate.eligibility["findings"] = [
        {"code": "over_age", "severity": "note", "legal_basis": "x",
         "params": {"max_age": 30, "date": "2027-03-01", "age": 33}},
        {"code": "residence_unclear", "severity": "note", "legal_basis": "x",
         "params": {"country": "BE"}},
    ]  # fmt: skip
    candidate.save(update_fields=["eligibility"])
    proof = QuestionFactory(mission=candidate.mission, kind=QuestionKind.FILE, label_fr="Diplôme")
    document = ApplicationDocument.objects.create(
        application=candidate, kind="supporting", file="x.pdf", original_name="diplome-awa.pdf",
        file_type="pdf", size=10,
    )  # fmt: skip
    answered(candidate, {proof: None}, {proof: document})
    return candidate


def dossier_text(application, redactions) -> str:
    built = dossier_file(
        Application.objects.filter(pk=application.pk),
        mission=application.mission,
        exported_by="Inès Bernard",
        now=timezone.now(),
        redactions=redactions,
        staff_sections=False,
    )
    return everything(read(built))


def test_without_redactions_the_dossier_shows_every_field(awa):
    text = dossier_text(awa, NONE)

    for value in (*BIRTH, *NATIONALITY, *CONTACT[::2], *DOCUMENTS, "33 ans"):
        assert value in text, value


@pytest.mark.parametrize(
    ("redactions", "hidden"),
    [
        (Redactions(birth_date=True), (*BIRTH, "33 ans")),
        (Redactions(nationality=True), NATIONALITY),
        (Redactions(contact=True), CONTACT),
        (Redactions(documents=True), DOCUMENTS),
        (Redactions(True, True, True, True), (*BIRTH, *NATIONALITY, *CONTACT, *DOCUMENTS)),
    ],
)
def test_a_redacted_field_appears_nowhere_in_the_pdf(awa, redactions, hidden):
    text = dossier_text(awa, redactions)

    assert [value for value in hidden if value in text] == []
    assert "DIALLO Awa" in text  # the name is never redacted
