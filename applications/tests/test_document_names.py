"""One answer to one input: a CV sent under a very long name is accepted on the profile and
on the apply form alike, and both keep the same shortened name to show and download it under."""

import io

import pytest

from applications.models import ApplicationDocument
from missions.tests.factories import MissionFactory
from testing.clock import days
from testing.documents import pdf_bytes
from volunteers.models import Volunteer
from volunteers.tests.factories import UserFactory, VolunteerFactory, profile_data

pytestmark = pytest.mark.django_db

# 300 characters, accents and a dash included, as a browser sends a file's name.
LONG_NAME = (
    "CV Awa Ndiaye – coordinatrice de projets en économie sociale et solidaire, "
    "Dakar, Thiès et Lyon, " * 4
)[:296] + ".pdf"
SHORT_NAME = "CV Awa Ndiaye coordinatrice de projets en economie sociale et solidaire Dakar Th.pdf"


def long_named_cv() -> io.BytesIO:
    """A real PDF whose name reaches the server with all its 300 characters (a SimpleUploadedFile
    would cut it to 255 before the request is even built)."""
    upload = io.BytesIO(pdf_bytes())
    upload.name = LONG_NAME
    return upload


def test_the_name_is_really_300_characters_long():
    assert len(LONG_NAME) == 300
    assert len(SHORT_NAME) == 84  # 80 and the extension


def test_the_profile_accepts_a_cv_with_a_300_character_name_and_keeps_a_short_one(client):
    user = UserFactory(email="awa@example.org")
    client.force_login(user)

    response = client.post("/me/profile/", {**profile_data(), "cv": long_named_cv()})

    assert response.status_code == 302, response.context["form"].errors
    volunteer = Volunteer.objects.get(user=user)
    assert volunteer.cv_name == SHORT_NAME
    assert volunteer.cv.name.startswith(f"cv/{user.pk}/") and "Ndiaye" not in volunteer.cv.name
    assert SHORT_NAME in client.get("/me/").content.decode()
    download = client.get("/me/cv/")
    b"".join(download.streaming_content)  # read to the end, which closes the file
    assert download["Content-Disposition"] == f'attachment; filename="{SHORT_NAME}"'


def test_a_long_named_cv_kept_through_a_profile_error_keeps_its_short_name(client):
    user = UserFactory(email="awa@example.org")
    client.force_login(user)

    first = client.post("/me/profile/", {**profile_data(phone="77 12"), "cv": long_named_cv()})
    assert first.status_code == 200
    assert f"Votre CV, {SHORT_NAME}, est bien reçu et gardé" in first.content.decode()
    second = client.post("/me/profile/", profile_data())  # the CV is not sent again

    assert second.status_code == 302
    assert Volunteer.objects.get(user=user).cv_name == SHORT_NAME


def test_the_apply_form_accepts_the_same_cv_and_keeps_the_same_short_name(client):
    MissionFactory(reference="DKR1", host_country="SN", deadline_date=days(60))
    volunteer = VolunteerFactory(user__email="awa@example.org")
    client.force_login(volunteer.user)

    response = client.post(
        "/missions/DKR1/apply/",
        {
            "use_profile_cv": "no",
            "cv": long_named_cv(),
            "declaration": "on",
            "consent": "on",
            "next": "draft",
        },
    )

    assert response.status_code == 302
    document = ApplicationDocument.objects.get(kind="cv")
    assert document.original_name == SHORT_NAME
    assert "Ndiaye" not in document.file.name
