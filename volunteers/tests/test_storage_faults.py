"""Storage faults while saving a profile: a disk that fills up while the CV is written.

The full disk is real: a 512 KiB tmpfs mounted for the test (the ``full_disk`` fixture) and
filled almost to the brim, so the write fails with ENOSPC part-way through, as in production.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from testing.disk import fill
from testing.documents import files_under, pdf_bytes
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory, profile_data

pytestmark = pytest.mark.django_db


def test_a_full_disk_while_saving_the_profile_keeps_the_form_as_typed(client, full_disk):
    volunteer = VolunteerFactory(city="Dakar")
    fill(full_disk)
    before = files_under(full_disk)
    client.force_login(volunteer.user)
    cv = SimpleUploadedFile("cv.pdf", pdf_bytes(padding=100_000), "application/pdf")

    response = client.post("/me/profile/", {**profile_data(city="Lyon"), "cv": cv})

    assert response.status_code == 503
    page = response.content.decode()
    assert "Votre document n&#x27;a pas pu être enregistré" in page
    assert 'value="Lyon"' in page
    kept = Volunteer.objects.get(pk=volunteer.pk)
    assert (kept.city, kept.cv.name) == ("Dakar", volunteer.cv.name)
    assert files_under(full_disk) == before
