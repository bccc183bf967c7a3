import datetime as dt

import pytest
from django.conf import settings

from core.candidates import CandidateFacts
from testing.documents import pdf_bytes
from volunteers.models import Volunteer
from volunteers.tests.factories import (
    UserFactory,
    VolunteerFactory,
    cv_upload,
    profile_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_client(client):
    user = UserFactory(email="awa@example.org")
    client.force_login(user)
    return client


def test_a_verified_candidate_fills_the_profile_once_and_sees_it_complete(
    candidate_client, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC), tick=False)

    response = candidate_client.post("/me/profile/", {**profile_data(), "cv": cv_upload()})

    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user__email="awa@example.org")
    assert [c.code for c in volunteer.nationalities] == ["FR", "SN"]
    assert str(volunteer.phone) == "+33 6 12 34 56 78"
    assert volunteer.consent_version == settings.PRIVACY_NOTICE_VERSION  # the notice accepted
    assert volunteer.consent_at == dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
    assert (
        volunteer.cv.name.startswith(f"cv/{volunteer.user_id}/")
        and "mon-cv" not in volunteer.cv.name
    )
    assert volunteer.completeness() == 100
    assert volunteer.facts() == CandidateFacts(
        nationalities=frozenset({"FR", "SN"}),
        residence="FR",
        regular_residences=frozenset({"FR"}),
        birth_date=dt.date(1994, 5, 17),
        vsi_months=12,
        professional_activity=False,
        experience_years=6,
        languages={"fr": "native", "en": "B2"},
    )
    me = candidate_client.get("/me/").content.decode()
    assert "Profil complet à 100 %" in me


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "2031-01-01", "Cette date est dans le futur"),
        (
            "nationalities",
            ["FR", "XX"],
            "Pays inconnu : choisissez vos nationalités dans la liste.",
        ),
        ("residence", "QQ", "Pays inconnu : choisissez votre pays de résidence dans la liste."),
        ("phone", "77 12", "Numéro non reconnu : écrivez-le au format international"),
        ("first_name", "A" * 10_000, "au plus 100 caractères"),
        ("consent", "", "Cochez cette case pour enregistrer votre profil."),
    ],
)
def test_bad_input_gets_a_field_message_and_keeps_what_was_typed(
    candidate_client, field, value, message
):
    response = candidate_client.post("/me/profile/", profile_data(**{field: value}))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    form = response.context["form"]
    assert field in form.errors
    assert 'value="Économie sociale et solidaire"' in html  # other answers are still there
    assert 'value="Lyon"' in html
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"just some text, not a CV", "cv.pdf", "Format non accepté"),
        (b"", "cv.pdf", "Le fichier est vide"),
        (pdf_bytes()[:200], "cv.pdf", "Ce PDF est incomplet ou abîmé"),
    ],
)
def test_a_bad_cv_is_refused_by_its_content_with_a_clear_message(
    candidate_client, content, name, message
):
    response = candidate_client.post(
        "/me/profile/", {**profile_data(), "cv": cv_upload(content, name)}
    )

    assert message in response.content.decode()
    assert not Volunteer.objects.exists()


def test_a_cv_over_the_size_limit_is_refused(candidate_client, settings):
    settings.DOCUMENT_MAX_BYTES = 300

    response = candidate_client.post("/me/profile/", {**profile_data(), "cv": cv_upload()})

    assert "Le fichier dépasse 300" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_replacing_the_cv_removes_the_old_file_once_saved(
    client, private_media, django_capture_on_commit_callbacks
):
    volunteer = VolunteerFactory()
    old = private_media / volunteer.cv.name
    assert old.exists()
    client.force_login(volunteer.user)

    data = profile_data(**{"languages-0-language": "fr", "languages-0-level": "C2"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/profile/", {**data, "cv": cv_upload(name="nouveau.pdf")})

    volunteer.refresh_from_db()
    assert volunteer.facts().languages == {"fr": "C2", "en": "B2"}
    assert not old.exists()
    assert (private_media / volunteer.cv.name).exists()


def test_the_cv_is_only_served_to_its_owner_as_an_attachment(client):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)

    response = client.get("/me/cv/")

    assert response["Content-Disposition"].startswith('attachment; filename="CV.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(UserFactory())
    assert client.get("/me/cv/").status_code == 404


def test_me_requires_signing_in(client):
    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_language_given_twice_is_refused_with_a_message(candidate_client):
    data = profile_data(**{"languages-1-language": "fr", "languages-1-level": "B2"})

    response = candidate_client.post("/me/profile/", {**data, "cv": cv_upload()})

    assert "Cette langue figure déjà plus haut" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_a_valid_cv_sent_with_a_bad_phone_is_kept_for_the_next_try(candidate_client):
    first = candidate_client.post(
        "/me/profile/", {**profile_data(phone="77 12"), "cv": cv_upload()}
    )
    assert "Votre CV, mon-cv.pdf, est bien reçu et gardé" in first.content.decode()

    second = candidate_client.post("/me/profile/", profile_data())

    assert second.status_code == 302
    volunteer = Volunteer.objects.get()
    with volunteer.cv.open("rb") as cv:
        assert cv.read().startswith(b"%PDF-")
    assert volunteer.completeness() == 100


def test_sign_up_verify_and_fill_the_profile_end_to_end(client, mail_via_smtp):
    import re

    from volunteers.tests.test_accounts import delivered

    response = client.post("/accounts/signup/", {"email": "fatou@example.org"})
    body = (
        delivered(mail_via_smtp, "fatou@example.org")
        .get_body(preferencelist=("plain",))
        .get_content()
    )
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M).group(1)
    client.post(response["Location"], {"code": code})

    response = client.post("/me/profile/", {**profile_data(), "cv": cv_upload()})

    assert response.status_code == 302
    assert "Profil complet à 100 %" in client.get("/me/").content.decode()
    assert Volunteer.objects.get().user.emailaddress_set.get().verified


def test_a_cv_is_stored_under_the_type_of_its_content_not_its_name(candidate_client):
    candidate_client.post("/me/profile/", {**profile_data(), "cv": cv_upload(name="cv.html")})

    volunteer = Volunteer.objects.get()
    assert volunteer.cv.name.endswith(".pdf")
    response = candidate_client.get("/me/cv/")
    b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_a_kept_cv_counts_as_the_new_cv_and_leaves_no_copies(candidate_client, private_media):
    candidate_client.post("/me/profile/", {**profile_data(phone="77 12"), "cv": cv_upload()})
    candidate_client.post("/me/profile/", {**profile_data(phone="77 13"), "cv": cv_upload()})

    candidate_client.post("/me/profile/", profile_data())

    volunteer = Volunteer.objects.get()
    assert volunteer.cv_uploaded_at is not None
    stored = [p for p in (private_media / "cv").rglob("*") if p.is_file()]
    assert [p.relative_to(private_media).as_posix() for p in stored] == [volunteer.cv.name]


# Data minimisation (GDPR art. 5, CNIL guidance on recruitment): each field the profile asks
# for, and why the recruitment needs it. A new field fails this test until its purpose is given.
PROFILE_FIELD_PURPOSES = {
    "first_name": "identify the candidate",
    "last_name": "identify the candidate",
    "birth_date": "adult at the contract (loi 2005-159 art. 1); framework and programme ages",
    "nationalities": "VSI may not serve in a state of nationality (art. 2); VIE, service civique",
    "residence": "where the candidate lives now: a staff note when it is the host state",
    "regular_residences": "VSI may not serve in the state of regular residence (art. 2)",
    "previous_residences": "recent residence in the host state, for staff review",
    "city": "interview logistics and pre-departure training",
    "phone": "reach the candidate about interviews",
    "vsi_months": "the 72-month cumulative VSI ceiling (art. 4)",
    "professional_activity": "a VSI contract excludes any professional activity",
    "education_level": "the mission's required profile",
    "education_field": "the mission's required profile",
    "experience_years": "the mission's required profile",
    "preferred_language": "the language of our e-mails",
    "cv": "the CV sent with applications",
    "consent": "consent to processing, versioned",
}


def test_the_profile_asks_only_for_what_the_recruitment_needs():
    from volunteers.forms import ProfileForm

    assert set(ProfileForm().fields) == set(PROFILE_FIELD_PURPOSES)


def test_optional_fields_are_marked_optional_in_words(candidate_client):
    page = candidate_client.get("/me/profile/").content.decode()

    assert "Autres pays de résidence ces cinq dernières années (facultatif)" in page
    assert "CV (facultatif)" in page
    assert "Téléphone (facultatif)" not in page and "Nom (facultatif)" not in page
    english = candidate_client.get("/en/me/profile/").content.decode()
    assert "(optional)" in english and "(facultatif)" not in english


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_the_profile_next_parameter_never_leaves_the_site(client, target):
    client.force_login(UserFactory())
    response = client.post(f"/me/profile/?next={target}", {**profile_data(), "cv": cv_upload()})

    assert response.status_code == 302 and response["Location"] == "/me/"
