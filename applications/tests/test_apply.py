"""The apply flow end to end, through the real views, with real PDF and DOCX files."""

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services, views
from applications.models import Application, ApplicationDocument, Stage, StageChange
from applications.tests.factories import ApplicationFactory
from core.dates import long_date
from missions import cache as mission_cache
from missions.models import Mission
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from testing.clock import days
from testing.documents import docx_bytes, pdf_bytes
from testing.factories import ready_draft
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")
APPLY = "/missions/DKR1/apply/"


@pytest.fixture
def mission():
    return MissionFactory(
        reference="DKR1",
        host_country="SN",
        city="Dakar",
        time_zone="Africa/Dakar",
        deadline_date=days(125),
        duration_months=12,
    )


@pytest.fixture
def candidate(client):
    volunteer = VolunteerFactory(user__email="awa@example.org")
    client.force_login(volunteer.user)
    return volunteer


def letter(
    content: bytes | None = None,
    name: str = "lettre.docx",
    content_type: str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
):
    return SimpleUploadedFile(name, docx_bytes() if content is None else content, content_type)


def cv(content: bytes | None = None, name: str = "cv.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type)


def form(**changes) -> dict:
    data = {
        "use_profile_cv": "no",
        "motivation": "Engagée dans l'ESS depuis six ans.",
        "declaration": "on",
        "consent": "on",
        "next": "review",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def apply_and_submit(client, **changes):
    client.post(APPLY, form(letter=letter(), cv=cv(), **changes))
    return client.post(reverse("applications:submit", args=["DKR1"]), follow=True)


def test_an_eligible_candidate_applies_with_a_pdf_cv_and_a_docx_letter(
    client, mission, candidate, private_media
):
    response = client.post(APPLY, form(letter=letter(), cv=cv()))
    assert response.status_code == 302 and response["Location"].endswith("/apply/review/")
    review = client.get(response["Location"]).content.decode()
    assert "lettre.docx" in review

    response = client.post(reverse("applications:submit", args=["DKR1"]), follow=True)

    assert "Candidature envoyée. Votre référence : DKR1-0001." in response.content.decode()
    application = Application.objects.get()
    assert (application.reference, application.stage) == ("DKR1-0001", Stage.SUBMITTED)
    assert application.eligibility["eligible"] is True
    assert application.profile["last_name"] == "Martin"
    assert [(h.from_stage, h.to_stage) for h in StageChange.objects.all()] == [
        ("draft", "submitted")
    ]
    message = OutboxMessage.objects.get()
    assert (message.key, message.to, message.template) == (
        f"confirmation:{application.pk}",
        "awa@example.org",
        "application_submitted",
    )
    assert message.context["application_reference"] == "DKR1-0001"
    kinds = {d.kind: d for d in application.documents.all()}
    assert (kinds["letter"].file_type, kinds["cv"].file_type) == ("docx", "pdf")
    for document in kinds.values():
        assert "lettre" not in document.file.name and "Martin" not in document.file.name
        assert (private_media / document.file.name).exists()


def test_the_profile_cv_is_copied_so_the_application_keeps_the_version_sent(
    client, mission, candidate
):
    client.post(APPLY, form(letter=letter(), use_profile_cv="yes"))
    client.post(reverse("applications:submit", args=["DKR1"]))

    copy = ApplicationDocument.objects.get(kind="cv")
    assert copy.file.name != candidate.cv.name
    assert copy.original_name == "CV Awa Martin.pdf"
    assert copy.application.stage == Stage.SUBMITTED


def test_references_follow_each_other_per_mission(client, mission, candidate):
    apply_and_submit(client)
    other = VolunteerFactory()
    client.force_login(other.user)

    apply_and_submit(client)

    assert sorted(Application.objects.values_list("reference", flat=True)) == [
        "DKR1-0001",
        "DKR1-0002",
    ]


def test_a_deleted_application_s_reference_is_never_given_again(client, mission, candidate):
    apply_and_submit(client)
    second = VolunteerFactory()
    client.force_login(second.user)
    apply_and_submit(client)
    services.application_delete(application=Application.objects.get(reference="DKR1-0002"))
    third = VolunteerFactory()
    client.force_login(third.user)

    apply_and_submit(client)

    assert Application.objects.get(volunteer=third).reference == "DKR1-0003"
    mission.refresh_from_db()
    assert mission.last_application_number == 3


def test_saving_a_mission_read_before_a_submission_keeps_the_counter(client, mission, candidate):
    read_before = Mission.objects.get(pk=mission.pk)  # an admin's form, opened earlier
    apply_and_submit(client)

    read_before.title = "Nouvel intitulé"
    read_before.save()

    mission.refresh_from_db()
    assert (mission.title, mission.last_application_number) == ("Nouvel intitulé", 1)


def test_numbers_follow_the_highest_in_use_when_the_counter_is_behind(client, mission, candidate):
    # Applications written by a script (the benchmark's seed) do not move the counter.
    ApplicationFactory(mission=mission, stage=Stage.SUBMITTED, number=7, reference="DKR1-0007")

    apply_and_submit(client)

    assert Application.objects.get(volunteer=candidate).reference == "DKR1-0008"


def test_a_refused_candidate_sees_why_and_cannot_submit_even_by_posting_directly(client, mission):
    senegalese = VolunteerFactory(nationalities=["SN"])
    client.force_login(senegalese.user)

    page = client.get(APPLY)
    posted = client.post(APPLY, form(letter=letter(), cv=cv()))
    submitted = client.post(reverse("applications:submit", args=["DKR1"]))

    assert page.status_code == 403
    assert "de mission dans l&#x27;État dont il ou elle est ressortissant" in page.content.decode()
    assert posted.status_code == 403
    assert submitted.status_code == 404
    assert not Application.objects.exists()


def test_eligibility_is_checked_again_at_submission(client, mission, candidate):
    client.post(APPLY, form(letter=letter(), cv=cv()))
    # Moved to Dakar, with a residence permit, after starting the draft.
    candidate.residence, candidate.regular_residences = "SN", ["SN"]
    candidate.save()

    response = client.post(reverse("applications:submit", args=["DKR1"]), follow=True)

    assert "Vous êtes résident·e régulier·e de ce pays (Sénégal)" in response.content.decode()
    assert Application.objects.get().stage == Stage.DRAFT


@pytest.mark.parametrize(("minutes", "submitted"), [(-1, True), (1, False)])
def test_the_deadline_is_enforced_at_the_moment_of_submission(
    client, mission, candidate, time_machine, minutes, submitted
):
    closing = mission.deadline_at  # midnight at the end of the deadline day, in Dakar
    time_machine.move_to(closing - dt.timedelta(hours=2), tick=False)
    client.force_login(candidate.user)
    client.post(APPLY, form(letter=letter(), cv=cv()))
    time_machine.move_to(closing + dt.timedelta(minutes=minutes), tick=False)

    response = client.post(reverse("applications:submit", args=["DKR1"]), follow=True)

    assert (Application.objects.get().stage == Stage.SUBMITTED) is submitted
    if not submitted:
        deadline = long_date(mission.deadline_date)
        assert (
            f"La date limite de candidature ({deadline}) est passée." in response.content.decode()
        )


def test_an_unverified_address_cannot_apply(client, mission):
    volunteer = VolunteerFactory(user=UserFactory(verified=False))
    client.force_login(volunteer.user)

    page = client.get(APPLY)

    assert page.status_code == 403
    assert "Vérifiez d'abord votre adresse e-mail" in page.content.decode()


def test_submitting_twice_makes_one_application_and_says_so(client, mission, candidate):
    apply_and_submit(client)

    again = client.post(reverse("applications:submit", args=["DKR1"]), follow=True)

    assert Application.objects.count() == 1
    assert "Candidature DKR1-0001" in again.content.decode()
    assert OutboxMessage.objects.count() == 1


def test_missing_documents_are_listed_and_nothing_is_sent(client, mission, candidate):
    client.post(APPLY, form(declaration=None))

    response = client.get(reverse("applications:review", args=["DKR1"]), follow=True)

    html = response.content.decode()
    assert "Ajoutez votre lettre de motivation." in html
    assert (
        "Cochez la déclaration sur l&#x27;honneur." in html
        or "Cochez la déclaration sur l'honneur." in html
    )
    assert Application.objects.get().stage == Stage.DRAFT


def test_a_draft_keeps_what_was_typed_and_is_resumed_from_me(client, mission, candidate):
    client.post(APPLY, form(next="draft", motivation="Mon texte à finir."))

    me = client.get("/me/").content.decode()
    page = client.get(APPLY).content.decode()

    assert "Reprendre le brouillon" in me and "/missions/DKR1/apply/" in me
    assert "Mon texte à finir." in page


BAD_FILES = [
    (
        "an executable renamed .pdf",
        b"MZ\x90\x00\x03" + b"\x00" * 200,
        "cv.pdf",
        "application/pdf",
        "Format non accepté",
    ),
    (
        "HTML claiming to be a PDF",
        b"<html><script>alert(1)</script></html>",
        "cv.pdf",
        "application/pdf",
        "Format non accepté",
    ),
    (
        "a 6 MB PDF",
        b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024),
        "cv.pdf",
        "application/pdf",
        "Le fichier dépasse 5,0",
    ),
    ("an empty file", b"", "cv.pdf", "application/pdf", "Le fichier est vide"),
    (
        "a truncated PDF",
        pdf_bytes()[:300],
        "cv.pdf",
        "application/pdf",
        "Ce PDF est incomplet ou abîmé",
    ),
]


@pytest.mark.parametrize(("case", "content", "name", "content_type", "message"), BAD_FILES)
def test_bad_files_are_refused_with_a_message_and_the_rest_is_kept(
    client, mission, candidate, case, content, name, content_type, message
):
    response = client.post(APPLY, form(letter=letter(), cv=cv(content, name, content_type)))

    html = response.content.decode()
    assert message in html, case
    assert "Le reste est enregistré dans votre brouillon" in html
    application = Application.objects.get()
    assert application.motivation == "Engagée dans l'ESS depuis six ans."
    assert list(application.documents.values_list("kind", flat=True)) == ["letter"]


def test_a_password_protected_pdf_is_refused(client, mission, candidate):
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    buffer = BytesIO()
    writer.write(buffer)

    response = client.post(APPLY, form(letter=letter(), cv=cv(buffer.getvalue())))

    assert "Ce PDF est protégé par un mot de passe" in response.content.decode()


def damaged_trailer(pdf: bytes) -> bytes:
    """A PDF whose trailer keyword is garbled: its cross-reference table cannot be followed."""
    return pdf.replace(b"trailer", b"trai!er")


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "Ce PDF est incomplet ou abîmé : enregistrez-le de nouveau et renvoyez-le."),
        ("/en", "This PDF is incomplete or damaged: save it again and resend it."),
    ],
)
def test_a_pdf_with_a_damaged_trailer_is_refused_in_the_candidates_language(
    client, mission, candidate, prefix, message
):
    response = client.post(
        f"{prefix}{APPLY}", form(letter=letter(), cv=cv(damaged_trailer(pdf_bytes())))
    )

    assert message in response.content.decode()
    assert list(ApplicationDocument.objects.values_list("kind", flat=True)) == ["letter"]


def test_each_upload_is_read_once_by_the_pdf_checks(client, mission, candidate, monkeypatch):
    from core import documents

    checked = []
    real_check = documents.check_pdf

    def counting_check(data):
        checked.append(data.name)
        return real_check(data)

    monkeypatch.setattr(documents, "check_pdf", counting_check)

    response = client.post(
        APPLY,
        form(letter=letter(pdf_bytes(), "lettre.pdf", "application/pdf"), cv=cv(), next="draft"),
    )

    assert response.status_code == 302
    assert sorted(checked) == ["cv.pdf", "lettre.pdf"]  # the form's check, not repeated on save
    assert ApplicationDocument.objects.count() == 2


@pytest.mark.parametrize("replaced", [["letter", "cv"], ["letter"]])
def test_saving_a_draft_with_its_documents_takes_a_fixed_number_of_queries(
    client, mission, candidate, django_assert_num_queries, replaced
):
    # As the benchmark posts it: two 1 MB PDFs replacing the draft's two documents.
    big = pdf_bytes(padding=1024 * 1024)
    client.post(APPLY, form(letter=letter(big, "lettre.pdf", "application/pdf"), cv=cv(big)))
    files = {"letter": letter(big, "lettre.pdf", "application/pdf"), "cv": cv(big)}

    # User (the session is in the cache), profile and its languages, draft (the mission, its
    # programmes and knock-outs are kept since the first post, and it asks no question);
    # then, saved at once: lock, update, history row, earlier documents, their deletion, the
    # new rows (with the savepoints of the test's transaction).
    with django_assert_num_queries(12):
        response = client.post(
            APPLY, form(next="draft", **{kind: files[kind] for kind in replaced})
        )

    assert response.status_code == 302
    assert ApplicationDocument.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\awa\\Mon CV.pdf", "Mon CV.pdf"),
        ("😀" * 50 + "é" * 250 + ".pdf", "e" * 80 + ".pdf"),
        ("....pdf", "document.pdf"),
    ],
)
def test_file_names_are_sanitised_for_downloads(client, mission, candidate, name, expected):
    client.post(APPLY, form(letter=letter(), cv=cv(name=name)))

    document = ApplicationDocument.objects.get(kind="cv")
    assert document.original_name == expected
    response = client.get(document.get_absolute_url())
    b"".join(response.streaming_content)  # read to the end, which closes the file
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_a_replaced_letter_leaves_no_file_behind(
    client, mission, candidate, private_media, django_capture_on_commit_callbacks
):
    client.post(APPLY, form(letter=letter()))
    first = ApplicationDocument.objects.get(kind="letter").file.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, form(letter=letter(docx_bytes("Version 2"))))

    assert not (private_media / first).exists()
    assert (private_media / ApplicationDocument.objects.get(kind="letter").file.name).exists()


def test_the_draft_is_saved_while_typing_without_a_page_change(client, mission, candidate):
    response = client.post(
        APPLY, {"motivation": "Premier jet", "use_profile_cv": "yes", "next": "autosave"}
    )

    assert response.status_code == 204
    assert Application.objects.get().motivation == "Premier jet"
    assert 'src="/static/js/autosave.js"' in client.get(APPLY).content.decode()


def test_a_candidate_without_a_profile_is_sent_to_fill_it_then_back(client, mission):
    client.force_login(UserFactory())

    response = client.get(APPLY)

    assert response.status_code == 302
    assert response["Location"] == "/me/profile/?next=/missions/DKR1/apply/"


def test_a_draft_deleted_in_another_tab_is_started_again_with_what_was_typed(
    client, mission, candidate, monkeypatch
):
    client.post(APPLY, form(next="draft", motivation="Première version."))
    read_context = views.apply_context

    def context_then_deleted(request, reference):
        context = read_context(request, reference)
        Application.objects.filter(pk=context["application"].pk).delete()  # the other tab
        return context

    monkeypatch.setattr(views, "apply_context", context_then_deleted)
    response = client.post(APPLY, form(next="draft", motivation="Seconde version."))

    assert response.status_code in (200, 302)
    assert Application.objects.get().motivation == "Seconde version."


def test_the_document_help_gives_the_configured_size_limit(client, mission, candidate, settings):
    settings.DOCUMENT_MAX_BYTES = 2 * 1024 * 1024

    french = client.get(reverse("applications:apply", args=[mission.reference])).content
    english = client.get("/en" + reverse("applications:apply", args=[mission.reference])).content

    assert "PDF, DOCX, DOC ou ODT, 2,0\xa0Mio au plus." in french.decode()
    assert "PDF, DOCX, DOC or ODT, 2.0\xa0MB at most." in english.decode()


def test_another_candidates_application_pages_are_not_found(client):
    owner = VolunteerFactory()
    application = ready_draft(owner, MissionFactory(reference="IDOR1"))
    client.force_login(VolunteerFactory().user)

    assert client.get(reverse("applications:review", args=["IDOR1"])).status_code in (302, 403)
    assert client.post(reverse("applications:submit", args=["IDOR1"])).status_code == 404
    application.refresh_from_db()
    assert application.stage == "draft"


def test_a_candidate_name_with_html_is_escaped_everywhere(client):
    volunteer = VolunteerFactory(first_name="<img src=x onerror=alert(1)>")
    client.force_login(volunteer.user)

    html = client.get("/me/").content.decode()

    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_the_apply_steps_leave_the_mission_kept_for_every_request_as_it_was(
    client, mission, candidate
):
    """The steps read the mission the worker keeps for its page (missions.sections), shared
    by every request: nothing of a candidate's draft, documents or questions stays on it."""
    client.get(f"/missions/{mission.reference}/")  # the page keeps the mission
    kept = mission_cache.kept[f"mission:{mission.reference}"][1]

    client.get(APPLY)
    client.post(APPLY, form(letter=letter(), cv=cv()))
    client.get(reverse("applications:review", args=["DKR1"]))

    assert mission_cache.kept[f"mission:{mission.reference}"][1] is kept
    assert Application.objects.get(volunteer=candidate).mission_id == kept.pk
    assert not kept._state.fields_cache
    assert not getattr(kept, "_prefetched_objects_cache", {})
