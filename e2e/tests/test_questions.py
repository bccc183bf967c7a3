"""A mission's own questions in a real browser: every type answered (a conditional one too),
the draft left and found again, sent; a knock-out answer refused before the form."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from applications.models import Answer, Application, Stage
from e2e.helpers import candidate, dakar_mission, every_kind_of_question, with_documents
from testing.documents import pdf_bytes

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_candidate_answers_every_type_leaves_comes_back_and_sends(
    page: Page, sign_in, shoot, tmp_path
):
    mission = dakar_mission()
    every_kind_of_question(mission)
    volunteer = candidate()
    from applications.services import application_draft_get, application_draft_save

    draft = application_draft_get(volunteer=volunteer, mission=mission)
    with_documents(draft)
    application_draft_save(application=draft, use_profile_cv=False, declaration=True, consent=True)
    diploma = tmp_path / "Diplôme master.pdf"
    diploma.write_bytes(pdf_bytes())
    sign_in(page.context, volunteer.user)
    available = (timezone.localdate() + dt.timedelta(days=40)).isoformat()

    page.goto("/missions/3S9001/apply/")
    page.get_by_role("button", name="Continuer vers les questions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Postuler")
    expect(page.locator("[aria-current=step]")).to_have_text("2. Questions de la mission")

    country = page.get_by_label("Dans quel pays ?")
    expect(country).to_be_hidden()  # until "Oui" is chosen
    page.get_by_label("Votre ville de départ ?").fill("Thiès")
    page.get_by_label("Une expérience de coopération ?").fill("Deux ans dans une coopérative.")
    page.get_by_label("Années de bénévolat ?").fill("4")
    page.get_by_role("group", name="Avez-vous déjà vécu à l'étranger ?").get_by_label("Oui").check()
    expect(country).to_be_visible()
    country.select_option("ML")
    page.get_by_role("group", name="Comment avez-vous connu la mission ?").get_by_label(
        "Un·e ami·e"
    ).check()
    page.get_by_role("group", name="Vos permis ?").get_by_label("Permis B").check()
    page.get_by_label("Disponible à partir du ?").fill(available)
    page.get_by_role("group", name="Une langue locale ?").get_by_label(
        "Langue", exact=True
    ).select_option("wo")
    page.get_by_role("group", name="Une langue locale ?").get_by_label(
        "Niveau (CECRL)"
    ).select_option("B1")
    page.get_by_label("Votre diplôme").set_input_files(diploma)
    shoot(page, "questions-filled")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("status").filter(has_text="Brouillon enregistré")).to_be_visible()

    # Away, then back: every answer is where it was left.
    page.goto("/me/")
    page.goto("/missions/3S9001/apply/questions/")
    expect(page.get_by_label("Votre ville de départ ?")).to_have_value("Thiès")
    expect(page.get_by_label("Années de bénévolat ?")).to_have_value("4")
    expect(page.get_by_label("Dans quel pays ?")).to_have_value("ML")
    expect(page.get_by_label("Disponible à partir du ?")).to_have_value(available)
    expect(
        page.get_by_role("group", name="Une langue locale ?").get_by_label("Langue", exact=True)
    ).to_have_value("wo")
    expect(page.get_by_text("Fichier enregistré")).to_contain_text("Diplome master.pdf")

    page.get_by_role("button", name="Vérifier avant l'envoi").click()
    expect(page).to_have_url(re.compile(r"/apply/review/$"))
    answers = page.locator("dl").nth(1)
    expect(answers).to_contain_text("Mali")
    expect(answers).to_contain_text("wolof (B1 – seuil)")
    expect(answers).to_contain_text("Permis B")
    shoot(page, "questions-review")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text(
        "Candidature envoyée"
    )

    application = Application.objects.get(pk=draft.pk)
    assert application.stage == Stage.SUBMITTED
    sent = {a.label_fr: a.text_fr for a in Answer.objects.filter(application=application)}
    assert sent["Dans quel pays ?"] == "Mali"
    assert sent["Votre diplôme"] == "Diplome master.pdf"
    assert len(sent) == 10


@pytest.mark.parametrize(
    ("prefix", "answer", "check", "refusal"),
    [
        ("", "Non", "Vérifier", "Cette mission demande : « Avez-vous le permis B ? » Votre réponse, « Non », ne permet pas d'y postuler."),
        ("/en", "No", "Check", "This mission asks: “Do you hold a driving licence?” Your answer, “No”, does not allow you to apply."),
    ],
    ids=["fr", "en"],
)  # fmt: skip
def test_a_knockout_answer_is_refused_before_the_form(page: Page, prefix, answer, check, refusal):
    from missions.models import Question
    from missions.tests.factories import QuestionFactory

    mission = dakar_mission()
    QuestionFactory(
        mission=mission,
        kind=Question.Kind.YES_NO,
        label_fr="Avez-vous le permis B ?",
        label_en="Do you hold a driving licence?",
        knockout_values=["no"],
        ask_before_applying=True,
        required=True,
    )

    page.goto(f"{prefix}/missions/3S9001/")
    page.locator("#id_nationality").select_option("FR")
    page.locator("#id_residence").select_option("FR")
    page.get_by_role("group", name=re.compile("permis B|driving licence")).get_by_label(
        answer, exact=True
    ).check()
    page.get_by_role("button", name=check, exact=True).click()

    expect(page.locator("#eligibility-title + [role=status]")).to_contain_text(refusal)
