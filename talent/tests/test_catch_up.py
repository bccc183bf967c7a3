"""The beat's catch-up reads what no task read (Redis was down) and builds missing profiles."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from applications.tests.factories import submitted
from talent.catch_up import search_catch_up
from talent.models import SearchProfile
from talent.tests.conftest import pdf_of, store
from volunteers.models import TextState
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_pending_texts_and_missing_profiles_are_caught_up(mission, time_machine):
    applied = VolunteerFactory(first_name="Awa")
    document = store(submitted(mission, applied), "cv", pdf_of("Pisciculture"), "cv.pdf")
    member = VolunteerFactory(first_name="Zoé", pool_since=timezone.now())
    member.cv.save("cv.pdf", ContentFile(pdf_of("Agroforesterie")), save=False)
    member.cv_text_state = TextState.PENDING
    member.save()
    bystander = VolunteerFactory(first_name="Léo")  # neither applied nor in the pool
    assert search_catch_up(now=timezone.now()) == 2  # their profiles, built at once
    document.refresh_from_db()
    assert document.text_state == TextState.PENDING  # too young: its own task is on it
    time_machine.shift(dt.timedelta(minutes=6))
    assert search_catch_up(now=timezone.now()) == 2  # texts read, profiles rebuilt
    document.refresh_from_db()
    member.refresh_from_db()
    assert "Pisciculture" in document.text
    assert "Agroforesterie" in member.cv_text
    assert set(SearchProfile.objects.values_list("volunteer_id", flat=True)) == {
        applied.pk,
        member.pk,
    }
    assert not SearchProfile.objects.filter(volunteer=bystander).exists()
    call_command("search_reindex", verbosity=0)  # nothing left: a no-op
    assert search_catch_up(now=timezone.now()) == 0


def test_a_profile_older_than_a_change_whose_task_was_lost_is_rebuilt(mission, time_machine):
    from talent.tests.conftest import applicant

    volunteer = applicant(mission, first_name="Awa", cv="Pisciculture")
    # The profile edited while Redis was down: no task rebuilt the search profile.
    time_machine.shift(dt.timedelta(minutes=1))
    volunteer.education_field = "Apiculture"
    volunteer.save(update_fields=["education_field", "updated_at"])
    assert "Apiculture" not in SearchProfile.objects.get(volunteer=volunteer).profile_text

    time_machine.shift(dt.timedelta(minutes=6))
    assert search_catch_up(now=timezone.now()) == 1

    assert "Apiculture" in SearchProfile.objects.get(volunteer=volunteer).profile_text
    assert search_catch_up(now=timezone.now()) == 0  # up to date: nothing more
