"""The interview, end to end in a real browser: staff move a candidate to the interview in
the admin, the invitation reaches aiosmtpd through the real worker, the candidate books from
its link and receives the calendar invitation, the interviewer records the outcome."""

import datetime as dt
import re
import time
import zoneinfo
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from applications.models import Review, Stage
from applications.tests.factories import submitted
from e2e.helpers import candidate, dakar_mission, log_in, staff_member, with_documents
from review.models import InterviewBooking
from review.roles import MANAGERS, REVIEWERS
from review.tests.factories import interview_slot
from testing.services import wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.real_clock,
    pytest.mark.django_db(transaction=True),
]

VIDEO = "https://visio.example.org/entretien-e2e"


def calendar_in(message) -> Calendar | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    return None


def mail_to(smtp_server, address: str, subject: str):
    """The message to ``address`` whose subject has ``subject``, once the worker sent it."""
    found = []

    def arrived() -> bool:
        found[:] = [
            m for m in smtp_server.messages if address in m["To"] and subject in m["Subject"]
        ]
        return bool(found)

    wait_for(arrived, timeout=30, message=f"an e-mail « {subject} » to {address}")
    return found[-1]


def test_staff_invite_the_candidate_books_from_the_email_and_the_interviewer_records_it(
    page: Page, live_server, settings, celery_worker, smtp_server, shoot
):
    settings.SITE_URL = live_server.url  # the links written in the e-mails
    staff_member(MANAGERS, "rh@example.org")
    interviewer = staff_member(REVIEWERS, "jury@example.org")
    mission = dakar_mission(interview_cutoff_hours=0)
    awa = candidate(first_name="Awa", last_name="Ndiaye", user__email="awa@example.org")
    application = with_documents(submitted(mission, awa, stage=Stage.SHORTLISTED))

    # Staff move Awa to the interview stage in the admin.
    page.goto("/admin/applications/application/")
    log_in(page, "rh@example.org")
    page.locator("#result_list tbody tr").filter(has_text="Ndiaye").locator(
        "input[type=checkbox]"
    ).check()
    page.get_by_role("combobox", name=re.compile("Action")).select_option(label="Changer l'étape…")
    page.locator("button[name=index], input[name=index]").click()
    page.get_by_label("Nouvelle étape").select_option(label="Entretien")
    page.get_by_role("button", name="Prévisualiser").click()
    page.get_by_role("button", name="Confirmer le changement").click()
    expect(page.locator(".messagelist")).to_contain_text("1 candidature déplacée.")

    # The invitation arrives through the worker; its link opens the booking page.
    invitation = mail_to(smtp_server, "awa@example.org", "entretien")
    body = invitation.get_body(preferencelist=("plain",)).get_content()
    [link] = re.findall(r"https?://\S+/entretien/\S+/", body)
    # A slot starting in a few seconds: booked now, over by the time the outcome is recorded.
    starts_at = timezone.now() + dt.timedelta(seconds=20)
    interview_slot(mission, starts_at=starts_at, video_url=VIDEO, interviewers=[interviewer])
    candidate_page = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Asia/Tokyo"
    ).new_page()
    candidate_page.goto(urlparse(link).path)
    # The time in the mission's zone, and under it in the browser's, the zone named.
    tokyo = starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    expect(candidate_page.locator("[data-local-time]").first).to_contain_text(
        re.compile(rf"{tokyo:%H:%M}.*\(Asia/Tokyo\)")
    )
    expect(candidate_page.locator("label").first).to_contain_text(f"({mission.time_zone})")
    shoot(candidate_page, "slots")
    candidate_page.locator("input[name=slot]").first.check()
    candidate_page.get_by_role("button", name="Réserver ce créneau").click()
    expect(candidate_page.locator("main")).to_contain_text("Votre entretien est réservé")

    # The calendar invitation reaches the candidate and the interviewer.
    for address, subject in (("awa@example.org", "réservé"), ("jury@example.org", "Entretien")):
        booked = mail_to(smtp_server, address, subject)
        calendar = calendar_in(booked)
        assert calendar is not None, f"no .ics for {address}"
        [event] = calendar.walk("VEVENT")
        assert str(calendar["method"]) == "REQUEST" and str(event["url"]) == VIDEO

    # After the slot, the interviewer records that Awa came, with scores and an opinion.
    booking = InterviewBooking.objects.get(application=application)
    time.sleep(max(0.0, (starts_at - timezone.now()).total_seconds() + 1))
    page.context.clear_cookies()
    page.goto(f"/admin/review/interviewbooking/{booking.pk}/outcome/")
    log_in(page, "jury@example.org")
    page.get_by_label("Présent·e à l'entretien").check()
    groups = page.locator("form fieldset fieldset")
    for index in range(1, groups.count()):
        groups.nth(index).get_by_label("4", exact=True).check()
    page.get_by_label("Avis sur l'entretien").fill("Entretien clair et motivé.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messagelist")).to_contain_text("Compte rendu enregistré.")
    shoot(page, "outcome")

    booking.refresh_from_db()
    assert (booking.attended, booking.outcome_by) == (True, interviewer)
    review = Review.objects.get(application=application, reviewer=interviewer)
    assert set(review.scores.values()) == {4} and review.comment == "Entretien clair et motivé."
