"""The talent pool end to end in a real browser: a recruitment manager searches the pool
without accents, reads the marked extract, invites a member to a mission; the invitation
reaches aiosmtpd through the real worker; its link leads the candidate to the mission, and
the application started records the invitation; its other link leaves the pool."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application, Source
from e2e.helpers import assert_no_axe_violations, dakar_mission, log_in, open_mission, staff_member
from e2e.tests.test_interviews import mail_to
from review.roles import MANAGERS
from talent.models import Invitation
from volunteers.models import Volunteer

pytestmark = [
    pytest.mark.services,
    pytest.mark.real_clock,
    pytest.mark.django_db(transaction=True),
]


def test_a_manager_finds_a_member_without_accents_invites_them_and_the_invitation_is_the_source(
    axe_page: Page, live_server, settings, celery_worker, smtp_server, sign_in, shoot
):
    page = axe_page  # the admin's search page is checked by axe-core too
    from talent.tests.conftest import applicant

    settings.SITE_URL = live_server.url  # the links written in the e-mails
    staff_member(MANAGERS, "rh@example.org")
    past = open_mission(reference="3S7101", title="Appui aux éleveurs", city="Lomé")
    awa = applicant(past, first_name="Awa", cv="Cinq ans d'élevage laitier au Sénégal.", pool=True)
    applicant(past, first_name="Koffi", cv="Comptabilité d'une coopérative.", pool=True)
    target = dakar_mission()

    page.goto("/admin/talent/searchprofile/")
    log_in(page, "rh@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche dans le vivier")
    page.get_by_label("Mots").fill("elevage")
    page.get_by_label("Mission visée (éligibilité, invitations)").select_option(str(target.pk))
    page.get_by_role("button", name="Chercher").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("mark")).to_have_text("élevage")
    shoot(page, "search")
    assert_no_axe_violations(page)

    rows.first.get_by_role("checkbox", name=re.compile("Inviter Awa")).check()
    page.get_by_role(
        "button", name=re.compile(f"Inviter les membres cochés .* {target.reference}")
    ).click()
    expect(page.locator(".messagelist")).to_contain_text("1")
    assert Invitation.objects.get().volunteer_id == awa.pk

    # The invitation arrives; its mission link leads to the mission, and the draft the
    # candidate saves records where they came from.
    message = mail_to(smtp_server, "awa@example.org", target.reference)
    body = message.get_body(preferencelist=("plain",)).get_content()
    [mission_link] = re.findall(r"https?://\S+\?source=invitation", body)
    [leave_link] = re.findall(r"https?://\S+/me/vivier/quitter/\S+/", body)
    candidate_page = page.context.browser.new_context(base_url=live_server.url).new_page()
    sign_in(candidate_page.context, awa.user)
    parts = urlparse(mission_link)
    candidate_page.goto(f"{parts.path}?{parts.query}")
    candidate_page.get_by_role("link", name="Postuler en ligne").click()
    candidate_page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(candidate_page.locator("main")).to_contain_text("brouillon")
    application = Application.objects.get(mission=target)
    assert (application.source, application.volunteer_id) == (Source.INVITATION, awa.pk)

    # The e-mail's other link leaves the pool with one button.
    candidate_page.goto(urlparse(leave_link).path)
    candidate_page.get_by_role("button", name="Quitter le vivier de talents").click()
    expect(candidate_page.get_by_role("status")).to_contain_text(
        "Vous avez quitté le vivier de talents."
    )
    assert Volunteer.objects.get(pk=awa.pk).pool_since is None
