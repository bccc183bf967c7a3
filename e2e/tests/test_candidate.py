"""A candidate in a real browser: find a mission, check, sign up, apply, follow, withdraw."""

import re

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application, Stage
from e2e.helpers import candidate, dakar_mission, load_demo
from notifications.models import OutboxMessage
from notifications.services import message_send
from testing.documents import docx_bytes, pdf_bytes
from testing.outbox import deliver_outbox
from testing.profile_form import ProfileAnswers, fill_profile

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


def code_from(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = CODE.search(body)
    assert match, body
    return match.group(1)


# A candidate from Lyon.
AWA_MARTIN = ProfileAnswers(
    last_name="Martin", birth_date="1994-05-17", country="FR", city="Lyon",
    phone="+33 6 12 34 56 78", education_field="Développement international",
    experience_years=6, french_level="native",
)  # fmt: skip


def test_a_candidate_finds_a_mission_signs_up_applies_and_withdraws(
    page: Page, mail_via_smtp, shoot, tmp_path
):
    load_demo()
    dakar_mission()
    cv_path = tmp_path / "CV Awa Martin.pdf"
    cv_path.write_bytes(pdf_bytes())
    letter_path = tmp_path / "lettre-motivation.docx"
    letter_path.write_bytes(docx_bytes())

    # The catalogue, filtered by country.
    page.goto("/missions/")
    shoot(page, "catalogue")
    page.get_by_label("Pays").select_option(label="Sénégal")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"country=SN"))
    results = page.locator("article.mission-card")
    expect(results).to_have_count(2)  # 3S1284 (closed) and the open Dakar mission
    expect(results.filter(has_text="Cotonou")).to_have_count(0)
    page.get_by_role("link", name=re.compile("coopérations au Sénégal")).and_(
        page.locator('[href="/missions/3S9001/"]')
    ).click()

    # The posting, and the anonymous eligibility check.
    expect(page.get_by_role("heading", level=1)).to_contain_text("coopérations au Sénégal")
    page.get_by_label("Votre nationalité").select_option("FR")
    page.get_by_label("Le pays où vous résidez régulièrement").select_option("FR")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("#eligibility-title + [role=status]")).to_contain_text(
        "Vous pouvez postuler."
    )
    shoot(page, "mission")

    # Apply: signed out, so the site asks to sign in or sign up; an e-mail alone is enough.
    page.get_by_role("link", name="Postuler en ligne").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/missions/3S9001/apply/"))
    page.get_by_role("main").get_by_role("link", name="enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Création de compte"))
    shoot(page, "signup")
    page.get_by_label("Courriel").fill("awa.martin@example.org")
    page.get_by_role("main").get_by_role("button", name="Création de compte").click()

    # The code arrives by e-mail, through the test's SMTP server.
    expect(page.get_by_label("Code")).to_be_visible()
    shoot(page, "code")
    deliver_outbox()  # as the worker would
    code = code_from(mail_via_smtp.last_to("awa.martin@example.org"))
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirmer").click()

    # First application: the profile comes first, with a real PDF CV; then back to the form.
    expect(page).to_have_url(re.compile(r"/me/profile/\?next=/missions/3S9001/apply/"))
    expect(page.get_by_role("main")).to_contain_text("Remplissez d'abord votre profil")
    fill_profile(page, cv_path, AWA_MARTIN)
    shoot(page, "profile")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(re.compile(r"/missions/3S9001/apply/$"))
    expect(page.get_by_role("status").first).to_contain_text("Votre profil est enregistré.")
    page.get_by_label("Lettre de motivation").set_input_files(letter_path)
    expect(page.get_by_label("Utiliser le CV de mon profil")).to_be_checked()
    page.get_by_label("Quelques mots de motivation").fill("Six ans dans l'ESS, à Lyon et Dakar.")
    page.get_by_label("Je certifie que les informations").check()
    page.get_by_label("J'accepte que ma candidature").check()
    shoot(page, "apply")
    page.get_by_role("button", name="Vérifier avant l'envoi").click()

    # Review, then send.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre candidature")
    expect(page.get_by_role("main")).to_contain_text("lettre-motivation.docx")
    expect(page.get_by_role("main")).to_contain_text("Awa Martin (awa.martin@example.org)")
    shoot(page, "review")
    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Candidature envoyée. Votre référence : 3S9001-0001."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidature 3S9001-0001")
    shoot(page, "sent")
    application = Application.objects.get(reference="3S9001-0001")
    assert application.stage == Stage.SUBMITTED
    assert sorted(application.documents.values_list("kind", flat=True)) == ["cv", "letter"]

    # The confirmation is in the outbox; delivered as the worker would, it names the reference.
    confirmation = OutboxMessage.objects.get(key=f"confirmation:{application.pk}")
    assert message_send(message_id=confirmation.pk) == "sent"
    mail = mail_via_smtp.last_to("awa.martin@example.org")
    assert "3S9001-0001" in mail.get_body(preferencelist=("plain",)).get_content()

    # /me/ lists it; withdrawing asks first.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon espace"
    ).click()
    row = page.get_by_role("row").filter(has_text="3S9001-0001")
    expect(row).to_contain_text("Envoyée")
    shoot(page, "me")
    row.get_by_role("link", name="Retirer 3S9001-0001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retirer ma candidature")
    shoot(page, "withdraw")
    page.get_by_role("button", name="Oui, retirer ma candidature").click()

    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("status").first).to_contain_text(
        "Votre candidature 3S9001-0001 est retirée."
    )
    expect(page.get_by_role("row").filter(has_text="3S9001-0001")).to_contain_text("Retirée")
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


@pytest.mark.parametrize(
    ("prefix", "verdict", "reason", "check"),
    [
        ("", "Vous ne pouvez pas postuler à cette mission", "Vous avez la nationalité de ce pays (Sénégal)", "Vérifier"),
        ("/en", "You cannot apply for this mission", "You hold this country's nationality (Senegal)", "Check"),
    ],
    ids=["fr", "en"],
)  # fmt: skip
def test_a_senegalese_national_is_told_why_they_may_not_apply_to_a_mission_in_dakar(
    page: Page, new_context, sign_in, shoot, prefix, verdict, reason, check
):
    load_demo()
    dakar_mission()

    # 3S1284 is closed: its page says so and asks nothing.
    page.goto(f"{prefix}/missions/3S1284/")
    expect(page.locator("#id_nationality")).to_have_count(0)

    # Anonymous, on an open mission in Dakar: the two questions give the reason at once.
    page.goto(f"{prefix}/missions/3S9001/")
    page.locator("#id_nationality").select_option("SN")
    page.locator("#id_residence").select_option("FR")
    page.get_by_role("button", name=check, exact=True).click()
    refusal = page.locator("#eligibility-title + [role=status]")
    expect(refusal).to_contain_text(verdict)
    expect(refusal).to_contain_text(reason)
    expect(refusal).to_contain_text("2005-159")  # the legal basis is named
    shoot(page, "3S9001-anonymous")

    # Signed in with a Senegalese profile, on an open mission in Dakar: page and apply form.
    context = page.context
    volunteer = candidate(nationalities=["FR", "SN"], residence="FR")
    sign_in(context, volunteer.user)
    page.goto(f"{prefix}/missions/3S9001/")
    refusal = page.locator("#eligibility-title + [role=status]")
    expect(refusal).to_contain_text(verdict)
    expect(refusal).to_contain_text(reason)
    shoot(page, "3S9001-signed-in")
    page.goto(f"{prefix}/missions/3S9001/apply/")
    expect(page.get_by_role("alert").filter(has_text=verdict)).to_contain_text(reason)
    expect(page.locator("form[data-autosave]")).to_have_count(0)
    shoot(page, "3S9001-apply")
