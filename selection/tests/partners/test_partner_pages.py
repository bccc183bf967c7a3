"""What the partner sees: the candidate's file redacted as the link says, the CV read in the
browser (downloaded only if allowed), an opinion form; every view and download logged; staff
see the opinion in the admin; the candidate's data copy names the partner."""

import json
import zipfile

import pytest
from django.core.files.base import ContentFile

from applications.models import ApplicationDocument
from applications.privacy import personal_data_archive
from selection.models import PartnerAccess, PartnerOpinion
from selection.tests.partners.conftest import make_link, opened
from testing.documents import pdf_bytes

pytestmark = pytest.mark.django_db

# What each redaction hides, as the page would write it (the factory's candidate).
BIRTH_DATE = "1996"
CONTACT = ("+33 6 12 34 56 78", "awa.ndiaye@example.org")
NATIONALITY = ("Sénégal", "Belgique")


def with_cv(application):
    return ApplicationDocument.objects.create(
        application=application,
        kind=ApplicationDocument.Kind.CV,
        file=ContentFile(pdf_bytes(pages=2), name="cv.pdf"),
        original_name="CV Awa Ndiaye.pdf",
        file_type="pdf",
        size=1000,
    )


def candidate_page(client, token, application):
    return client.get(f"/partenaires/{token}/candidats/{application.reference}/")


def test_nothing_redacted_shows_the_whole_profile(
    client, mission, manager, shortlisted, mail_via_smtp
):
    _link, token = make_link(
        mission, manager, hide_birth_date=False, hide_contact=False, hide_nationality=False
    )
    opened(client, token, mail_via_smtp)
    body = candidate_page(client, token, shortlisted).content.decode()
    assert BIRTH_DATE in body and all(v in body for v in (*CONTACT, *NATIONALITY))


@pytest.mark.parametrize(
    ("redaction", "hidden"),
    [
        ("hide_birth_date", (BIRTH_DATE, "Date de naissance")),
        ("hide_contact", (*CONTACT, "Téléphone")),
        ("hide_nationality", (*NATIONALITY, "Nationalités", "Lyon")),
        ("hide_documents", ("CV Awa Ndiaye.pdf", "CV et lettre")),
    ],
)
def test_a_redacted_field_appears_nowhere_in_the_page(
    client, mission, manager, shortlisted, mail_via_smtp, redaction, hidden
):
    with_cv(shortlisted)
    everything_shown = {"hide_birth_date": False, "hide_contact": False, "hide_nationality": False}
    _link, token = make_link(mission, manager, **{**everything_shown, redaction: True})
    opened(client, token, mail_via_smtp)

    body = candidate_page(client, token, shortlisted).content.decode()

    assert "NDIAYE Awa" in body
    for value in hidden:
        assert value not in body
    if redaction == "hide_documents":
        document = shortlisted.documents.get()
        url = f"/partenaires/{token}/candidats/{shortlisted.reference}/documents/{document.public_id}/"
        assert client.get(url).status_code == 404


def test_the_cv_is_read_in_the_browser_and_downloaded_only_if_allowed_each_time_logged(
    client, link_and_token, shortlisted, mail_via_smtp
):
    link, token = link_and_token
    document = with_cv(shortlisted)
    opened(client, token, mail_via_smtp)
    url = f"/partenaires/{token}/candidats/{shortlisted.reference}/documents/{document.public_id}/"

    page = candidate_page(client, token, shortlisted).content.decode()
    read = client.get(url)
    refused = client.get(url + "?download=1")
    link.allow_downloads = True
    link.save()
    downloaded = client.get(url + "?download=1")

    assert url in page and "?download=1" not in page
    assert read.status_code == 200 and read["Content-Disposition"].startswith("inline")
    assert b"".join(read.streaming_content).startswith(b"%PDF")
    assert b"".join(downloaded.streaming_content).startswith(b"%PDF")  # read: the file closes
    assert refused.status_code == 404
    assert downloaded.status_code == 200 and downloaded["Content-Disposition"].startswith(
        "attachment"
    )
    logged = PartnerAccess.objects.filter(link=link, application=shortlisted).order_by("pk")
    assert [(a.action, a.document, a.email) for a in logged] == [
        ("viewed", "", "kofi@comdev.example.org"),
        ("doc_viewed", "CV Awa Ndiaye.pdf", "kofi@comdev.example.org"),
        ("doc_download", "CV Awa Ndiaye.pdf", "kofi@comdev.example.org"),
    ]


def test_an_opinion_without_a_verdict_is_refused_and_keeps_what_was_typed(
    client, link_and_token, shortlisted, mail_via_smtp
):
    _link, token = link_and_token
    opened(client, token, mail_via_smtp)
    url = f"/partenaires/{token}/candidats/{shortlisted.reference}/"

    response = client.post(url, {"comment": "Très bon profil terrain", "score_experience": "4"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez un avis : favorable, réservé ou défavorable." in body
    assert "Très bon profil terrain" in body
    assert not PartnerOpinion.objects.exists()


def test_an_opinion_is_saved_logged_changeable_and_shown_to_staff_beside_reviews(
    client, link_and_token, shortlisted, manager, mail_via_smtp
):
    link, token = link_and_token
    opened(client, token, mail_via_smtp)
    url = f"/partenaires/{token}/candidats/{shortlisted.reference}/"
    given = {
        "verdict": "reserved",
        "comment": "Anglais à vérifier",
        "score_experience": "4",
        "score_languages": "2",
    }

    first = client.post(url, given)
    again = client.post(url, {**given, "verdict": "favourable"})

    assert first.status_code == again.status_code == 302
    opinion = PartnerOpinion.objects.get()
    assert (opinion.verdict, opinion.comment, opinion.scores) == (
        "favourable", "Anglais à vérifier", {"experience": 4, "languages": 2},
    )  # fmt: skip
    assert str(opinion.average) == "3.00"
    assert PartnerAccess.objects.filter(link=link, action="opinion").count() == 2
    client.force_login(manager)
    admin_page = client.get(
        f"/admin/applications/application/{shortlisted.pk}/change/"
    ).content.decode()
    assert "Avis des partenaires" in admin_page
    assert "COMDEV Africa – Kofi Mensah" in admin_page and "Anglais à vérifier" in admin_page
    assert "Consultations par des partenaires" in admin_page
    assert admin_page.index("Évaluations") < admin_page.index("Avis des partenaires")


def test_the_candidates_data_copy_names_the_partner_who_saw_the_file(
    client, link_and_token, shortlisted, mail_via_smtp
):
    _link, token = link_and_token
    opened(client, token, mail_via_smtp)
    candidate_page(client, token, shortlisted)

    with (
        personal_data_archive(user=shortlisted.volunteer.user) as copy,
        zipfile.ZipFile(copy) as archive,
    ):
        seen = json.loads(archive.read("partner_accesses.json"))

    assert [(s["organisation"], s["person"], s["application"], s["what"]) for s in seen] == [
        ("COMDEV Africa", "Kofi Mensah", shortlisted.reference, "candidature consultée")
    ]


def test_a_page_shown_after_a_refused_opinion_is_logged_as_a_view_too(
    client, link_and_token, shortlisted, mail_via_smtp
):
    link, token = link_and_token
    opened(client, token, mail_via_smtp)

    response = client.post(
        f"/partenaires/{token}/candidats/{shortlisted.reference}/", {"comment": "?"}
    )

    assert response.status_code == 400 and "NDIAYE Awa" in response.content.decode()
    assert PartnerAccess.objects.filter(link=link, action="viewed").count() == 1


def test_a_supporting_file_answering_a_question_is_not_served_to_the_partner(
    client, link_and_token, shortlisted, mail_via_smtp
):
    _link, token = link_and_token
    supporting = ApplicationDocument.objects.create(
        application=shortlisted, kind=ApplicationDocument.Kind.SUPPORTING,
        file=ContentFile(pdf_bytes(), name="passeport.pdf"), original_name="passeport.pdf",
        file_type="pdf", size=1000,
    )  # fmt: skip
    opened(client, token, mail_via_smtp)
    url = (
        f"/partenaires/{token}/candidats/{shortlisted.reference}/documents/{supporting.public_id}/"
    )

    assert client.get(url).status_code == 404
