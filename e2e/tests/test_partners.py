"""Co-selection end to end in a real browser: staff create a partner link in the admin, the
link and then the one-time code reach aiosmtpd through the real worker, the partner opens the
link with the code, reads the CV and leaves an opinion, and staff see it on the application."""

import re

import pytest
from playwright.sync_api import Page, expect

from applications.models import Stage
from applications.tests.factories import submitted
from e2e.helpers import candidate, dakar_mission, log_in, staff_member, with_documents
from e2e.tests.test_interviews import mail_to
from review.roles import MANAGERS
from selection.models import PartnerAccess

pytestmark = [
    pytest.mark.services,
    pytest.mark.real_clock,
    pytest.mark.django_db(transaction=True),
]


def test_staff_share_a_shortlist_the_partner_reads_a_cv_and_gives_an_opinion_staff_see_it(
    page: Page, new_context, live_server, settings, celery_worker, smtp_server, shoot
):
    settings.SITE_URL = live_server.url  # the links written in the e-mails
    staff_member(MANAGERS, "rh@example.org")
    mission = dakar_mission()
    awa = candidate(first_name="Awa", last_name="Ndiaye", user__email="awa@example.org")
    application = with_documents(submitted(mission, awa, stage=Stage.SHORTLISTED))

    # Staff create the link for a named partner, the mission chosen from its page's link.
    page.goto(f"/admin/selection/partnerlink/add/?mission={mission.pk}")
    log_in(page, "rh@example.org")
    page.get_by_label("Organisation partenaire").fill("COMDEV Africa")
    page.get_by_label("Personne").fill("Kofi Mensah")
    page.get_by_label("Adresse e-mail").fill("kofi@comdev.example.org")
    expect(page.get_by_label("Validité (jours)")).to_have_value("14")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Le lien est envoyé à kofi@comdev.example.org"
    )

    # The partner gets the link, asks for a code, gets it, and opens the shortlist.
    invitation = mail_to(smtp_server, "kofi@comdev.example.org", "les candidatures à examiner")
    [url] = re.findall(
        r"https?://\S+/partenaires/\S+/", invitation.get_body(("plain",)).get_content()
    )
    partner = new_context().new_page()
    partner.goto(url)
    partner.get_by_role("button", name=re.compile("Recevoir un code")).click()
    expect(partner.get_by_role("alert").or_(partner.locator(".alert"))).to_contain_text(
        "Un code vous a été envoyé"
    )
    code_mail = mail_to(smtp_server, "kofi@comdev.example.org", "Votre code")
    code = re.search(r"\b(\d{6})\b", code_mail["Subject"]).group(1)
    partner.get_by_label("Code reçu par e-mail").fill(code)
    partner.get_by_role("button", name="Ouvrir").click()
    partner.get_by_role("link", name=application.reference).click()
    expect(partner.get_by_role("heading", level=1)).to_contain_text("NDIAYE Awa")
    expect(partner.locator("main")).not_to_contain_text("awa@example.org")  # contact hidden
    shoot(partner, "candidate")

    # The CV opens in the browser (shown, not saved), and the opinion is given.
    href = partner.get_by_role("link", name=re.compile("^lire")).first.get_attribute("href")
    cv = partner.context.request.get(href)
    assert cv.status == 200 and cv.headers["content-disposition"].startswith("inline")
    assert cv.body().startswith(b"%PDF")
    partner.get_by_label("Favorable", exact=True).check()
    partner.get_by_label("Commentaire").fill("Profil solide pour Dakar, à recevoir en entretien.")
    partner.get_by_role("button", name="Enregistrer mon avis").click()
    expect(partner.locator(".alert-success")).to_contain_text("Votre avis est enregistré.")

    # Staff see the opinion beside their reviews, and who looked at what.
    page.goto(f"/admin/applications/application/{application.pk}/change/")
    opinions = page.locator("fieldset, .inline-group").filter(has_text="Avis des partenaires")
    expect(opinions.first).to_contain_text("COMDEV Africa – Kofi Mensah")
    expect(opinions.first).to_contain_text("Favorable")
    expect(opinions.first).to_contain_text("Profil solide pour Dakar")
    shoot(page, "staff")
    seen = set(PartnerAccess.objects.values_list("action", flat=True))
    assert {"code_sent", "opened", "viewed", "doc_viewed", "opinion"} <= seen
