"""The talent pool: never joined by default, left in one click, kept POOL_MONTHS after the
last contact, and honoured by the retention purge."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications import privacy, services
from applications.emails import application_message
from applications.models import Application, Stage
from core.dates import long_date
from missions.tests.factories import MissionFactory
from notifications.emails import render_content
from testing.factories import ready_draft
from volunteers import pool
from volunteers.models import User, Volunteer
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_nobody_is_in_the_pool_by_default():
    volunteer = VolunteerFactory()

    assert volunteer.pool_since is None
    assert list(pool.pool_members(now=timezone.now())) == []


def test_a_candidate_joins_and_leaves_from_their_space(client):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)

    page = client.get(reverse("me")).content.decode()
    assert "Rejoindre le vivier de talents" in page

    response = client.post(reverse("volunteers:pool"), {"action": "join"}, follow=True)
    page = response.content.decode()
    assert "Vous êtes dans le vivier de talents." in page
    # Joined now, without other contact since: 24 average months (730 days) from today.
    until = timezone.localdate(timezone.now() + dt.timedelta(days=730))
    assert f"dans le vivier de talents jusqu'au {long_date(until)}" in page
    assert "Quitter le vivier de talents" in page
    assert list(pool.pool_members(now=timezone.now())) == [volunteer]

    response = client.post(reverse("volunteers:pool"), {"action": "leave"}, follow=True)
    assert "Vous avez quitté le vivier de talents." in response.content.decode()
    assert Volunteer.objects.get().pool_since is None


def test_the_leave_link_of_an_email_leaves_in_one_button_and_is_harmless_when_replayed(client):
    volunteer = VolunteerFactory(pool_since=timezone.now())
    path = pool.pool_leave_url(volunteer).removeprefix(settings.SITE_URL)

    page = client.get(path)  # what a mail scanner does: nothing changes
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["Cache-Control"] == "private, no-store"
    assert "Quitter le vivier de talents" in page.content.decode()
    assert Volunteer.objects.get().pool_since is not None

    done = client.post(path)
    assert done.status_code == 200
    assert "Vous avez quitté le vivier de talents." in done.content.decode()
    assert Volunteer.objects.get().pool_since is None

    again = client.post(path)
    assert again.status_code == 200
    assert "Vous avez quitté le vivier de talents." in again.content.decode()


def test_an_altered_leave_link_gets_a_clear_page_and_changes_nothing(client):
    volunteer = VolunteerFactory(pool_since=timezone.now())
    token = pool.leave_token(volunteer)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.post(reverse("volunteers:pool_leave", args=[altered]))

    assert response.status_code == 404
    assert "Ce lien n'est pas valable" in response.content.decode()
    assert Volunteer.objects.get().pool_since is not None


def test_the_leave_link_of_an_english_speaker_leads_to_the_english_page(client):
    volunteer = VolunteerFactory(pool_since=timezone.now(), preferred_language="en")
    url = pool.pool_leave_url(volunteer)
    assert url.startswith(f"{settings.SITE_URL}/en/me/vivier/quitter/")

    response = client.post(url.removeprefix(settings.SITE_URL))

    assert "You have left the talent pool." in response.content.decode()


def test_withdrawing_offers_the_pool_unticked_and_joins_only_when_ticked(client):
    volunteer = VolunteerFactory()
    missions = MissionFactory(reference="PLW1"), MissionFactory(reference="PLW2")
    sent = [
        services.application_submit(application_id=ready_draft(volunteer, m).pk, now=timezone.now())
        for m in missions
    ]
    client.force_login(volunteer.user)
    url = reverse("applications:withdraw", args=[sent[0].reference])

    box = re.search(r'<input[^>]*name="pool"[^>]*>', client.get(url).content.decode())
    assert box is not None and "checked" not in box.group(0)
    client.post(url)
    assert Volunteer.objects.get().pool_since is None

    response = client.post(
        reverse("applications:withdraw", args=[sent[1].reference]), {"pool": "yes"}, follow=True
    )
    assert "Vous êtes dans le vivier de talents." in response.content.decode()
    assert Volunteer.objects.get().pool_since is not None


def test_the_refusal_email_offers_the_pool():
    application = Application.objects.create(
        volunteer=VolunteerFactory(), mission=MissionFactory(), stage=Stage.REJECTED
    )
    draft = application_message(application, "application_rejected", key="t")

    content = render_content(draft.template, draft.language, draft.context)
    assert "vous pouvez rejoindre notre vivier de talents" in content.text
    assert "d'autres missions pendant 24 mois" in content.text  # POOL_MONTHS
    assert f'<a href="{settings.SITE_URL}/me/#vivier">' in content.html
    application.volunteer.preferred_language = "en"
    english = application_message(application, "application_rejected", key="t")
    assert english.context["pool_url"] == f"{settings.SITE_URL}/en/me/#vivier"


def last_contact_at(volunteer: Volunteer, moment: dt.datetime) -> None:
    Volunteer.objects.filter(pk=volunteer.pk).update(pool_since=moment)
    User.objects.filter(pk=volunteer.user_id).update(last_login=moment, date_joined=moment)


def test_membership_ends_pool_months_after_the_last_contact(settings):
    settings.POOL_MONTHS = 24
    now = timezone.now()
    recent, old = VolunteerFactory(), VolunteerFactory()
    last_contact_at(recent, now - dt.timedelta(days=700))
    last_contact_at(old, now - dt.timedelta(days=740))

    assert list(pool.pool_members(now=now)) == [recent]
    # A sign-in is a contact: the old member is back for two years.
    User.objects.filter(pk=old.user_id).update(last_login=now)
    assert set(pool.pool_members(now=now)) == {recent, old}


def test_the_purge_keeps_pool_members_pool_months_and_the_others_retention_months(settings):
    settings.RETENTION_MONTHS, settings.POOL_MONTHS = 6, 24
    now = timezone.now()
    outside, member, expired = VolunteerFactory(), VolunteerFactory(), VolunteerFactory()
    for volunteer in (outside, member, expired):
        Application.objects.create(
            volunteer=volunteer, mission=MissionFactory(), stage=Stage.REJECTED
        )
        Application.objects.filter(volunteer=volunteer).update(
            updated_at=now - dt.timedelta(days=300)
        )
        last_contact_at(volunteer, now - dt.timedelta(days=300))
    Volunteer.objects.filter(pk=outside.pk).update(pool_since=None)
    Volunteer.objects.filter(pk=expired.pk).update(pool_since=now - dt.timedelta(days=800))
    User.objects.filter(pk=expired.user_id).update(
        last_login=now - dt.timedelta(days=800), date_joined=now - dt.timedelta(days=800)
    )
    Application.objects.filter(volunteer=expired).update(updated_at=now - dt.timedelta(days=800))

    assert privacy.retention_purge(now=now) == 2

    erased = set(User.objects.filter(is_active=False).values_list("pk", flat=True))
    assert erased == {outside.user_id, expired.user_id}
    assert Volunteer.objects.get(pk=expired.pk).pool_since is None


def test_joining_the_pool_never_shortens_the_time_a_candidate_is_kept(settings):
    settings.RETENTION_MONTHS, settings.POOL_MONTHS = 24, 6
    now = timezone.now()
    member = VolunteerFactory()
    Application.objects.create(volunteer=member, mission=MissionFactory(), stage=Stage.REJECTED)
    Application.objects.filter(volunteer=member).update(updated_at=now - dt.timedelta(days=300))
    last_contact_at(member, now - dt.timedelta(days=300))  # past the pool's 6 months

    assert privacy.retention_purge(now=now) == 0  # kept the 24 months everyone is kept
    assert privacy.retention_purge(now=now + dt.timedelta(days=450)) == 1


def test_joining_and_leaving_tell_the_search_once_committed(django_capture_on_commit_callbacks):
    from volunteers.services import SAVED

    told: list[int] = []
    SAVED.append(told.append)
    try:
        volunteer = VolunteerFactory()
        with django_capture_on_commit_callbacks(execute=True):
            pool.pool_join(volunteer=volunteer, now=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            pool.pool_leave(volunteer=volunteer)
    finally:
        SAVED.remove(told.append)
    assert told == [volunteer.pk, volunteer.pk]


def test_the_space_says_the_pool_months_the_site_is_set_to(client, settings):
    settings.POOL_MONTHS = 12
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)

    page = client.get(reverse("me")).content.decode()

    assert "Vos données sont gardées 12 mois après votre dernier contact" in page
