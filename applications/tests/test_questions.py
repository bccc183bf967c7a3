"""The mission's own questions in the apply flow: every type, conditions, knock-outs, bad
input, answers frozen on submission, and query counts that do not grow with the questions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import Answer, ApplicationDocument, Stage
from missions import cache as mission_cache
from missions.models import Question, new_version
from missions.tests.factories import MissionFactory, QuestionFactory
from testing.clock import days
from testing.documents import pdf_bytes
from testing.factories import ready_draft
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

QUESTIONS = "/missions/DKR1/apply/questions/"
FAKE_PDF_ERROR = "Format non accepté : envoyez un PDF, un DOCX, un DOC ou un ODT."
QUESTIONS_EN = "/en/missions/DKR1/apply/questions/"
K = Question.Kind
LICENCE_CHOICES = [
    {"value": "b", "fr": "Permis B", "en": "Driving licence B"},
    {"value": "a", "fr": "Permis A", "en": "Motorbike licence"},
]
HEARD = [
    {"value": "site", "fr": "Le site de France Volontaires", "en": "France Volontaires' site"},
    {"value": "friend", "fr": "Un·e ami·e", "en": "A friend"},
    {"value": "school", "fr": "Mon école", "en": "My school"},
]


@pytest.fixture
def mission():
    return MissionFactory(
        reference="DKR1", host_country="SN", city="Dakar", time_zone="Africa/Dakar"
    )


@pytest.fixture
def candidate(client):
    volunteer = VolunteerFactory(user__email="awa@example.org")
    client.force_login(volunteer.user)
    return volunteer


@pytest.fixture
def draft(candidate, mission, private_media):
    return ready_draft(candidate, mission)


def ask(mission, kind, **settings):
    return QuestionFactory(mission=mission, kind=kind, **settings)


@pytest.fixture
def every_kind(mission):
    """One question of each type, in the form's order."""
    return {
        "short": ask(mission, K.SHORT_TEXT, label_fr="Votre ville de départ ?", label_en="Your home town?", max_length=80),
        "long": ask(mission, K.LONG_TEXT, label_fr="Une expérience de coopération ?", label_en="A cooperation experience?", max_length=1500),
        "number": ask(mission, K.NUMBER, label_fr="Années de bénévolat ?", label_en="Years of volunteering?", min_number=0, max_number=40),
        "yes_no": ask(mission, K.YES_NO, label_fr="Acceptez-vous un logement partagé ?", label_en="Do you accept a shared flat?", required=True),
        "choice": ask(mission, K.CHOICE, label_fr="Comment avez-vous connu la mission ?", label_en="How did you hear of the mission?", choices=HEARD),
        "multiple": ask(mission, K.MULTIPLE, label_fr="Vos permis ?", label_en="Your licences?", choices=LICENCE_CHOICES),
        "date": ask(mission, K.DATE, label_fr="Disponible à partir du ?", label_en="Available from?", min_date=days(30), max_date=days(200)),
        "country": ask(mission, K.COUNTRY, label_fr="Pays de votre dernier séjour ?", label_en="Country of your last stay?"),
        "language": ask(mission, K.LANGUAGE, label_fr="Une langue locale ?", label_en="A local language?"),
        "file": ask(mission, K.FILE, label_fr="Votre diplôme", label_en="Your diploma"),
    }  # fmt: skip


def field(question) -> str:
    return f"q{question.pk}"


def answers_post(q, **changes):
    data = {
        field(q["short"]): "Thiès",
        field(q["long"]): "Deux ans dans une coopérative de femmes.\r\nPuis un GIE.",
        field(q["number"]): "4.5",
        field(q["yes_no"]): "yes",
        field(q["choice"]): "friend",
        field(q["multiple"]): ["b", "a"],
        field(q["date"]): days(45).isoformat(),
        field(q["country"]): "ML",
        f"{field(q['language'])}_0": "wo",
        f"{field(q['language'])}_1": "B1",
        field(q["file"]): SimpleUploadedFile("diplôme.pdf", pdf_bytes(), "application/pdf"),
        "next": "review",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def answers_of(application) -> dict[str, Answer]:
    return {answer.label_fr: answer for answer in Answer.objects.filter(application=application)}


def test_every_type_is_asked_checked_and_kept_with_its_text_in_both_languages(
    client, draft, every_kind
):
    response = client.post(QUESTIONS, answers_post(every_kind))

    assert response.status_code == 302 and response["Location"].endswith("/apply/review/")
    saved = {a.question_id: a for a in Answer.objects.filter(application=draft)}
    q = every_kind
    expected = {
        "short": ("Thiès", "Thiès", "Thiès"),
        "long": ("Deux ans dans une coopérative de femmes.\nPuis un GIE.",) * 3,
        "number": (4.5, "4,5", "4.5"),
        "yes_no": ("yes", "Oui", "Yes"),
        "choice": ("friend", "Un·e ami·e", "A friend"),
        "multiple": (["b", "a"], "Permis B; Permis A", "Driving licence B; Motorbike licence"),
        "date": (days(45).isoformat(), None, None),
        "country": ("ML", "Mali", "Mali"),
        "language": ({"language": "wo", "level": "B1"}, "wolof (B1 – seuil)", "Wolof (B1 – intermediate)"),
        "file": (None, "diplome.pdf", "diplome.pdf"),
    }  # fmt: skip
    for name, (value, text_fr, text_en) in expected.items():
        answer = saved[q[name].pk]
        assert answer.value == value, name
        if text_fr is not None:
            assert (answer.text_fr, answer.text_en) == (text_fr, text_en), name
    with translation.override("fr"):
        from core.dates import long_date

        assert saved[q["date"].pk].text_fr == long_date(days(45))
    document = saved[q["file"].pk].document
    assert document.kind == ApplicationDocument.Kind.SUPPORTING
    with document.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")


def test_the_review_step_lists_the_answers_and_the_submission_freezes_them(
    client, draft, every_kind
):
    client.post(QUESTIONS, answers_post(every_kind))

    review = client.get(reverse("applications:review", args=["DKR1"])).content.decode()
    assert "Acceptez-vous un logement partagé ?" in review and "Un·e ami·e" in review
    response = client.post(reverse("applications:submit", args=["DKR1"]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.stage == Stage.SUBMITTED
    assert [a.position for a in draft.answers.all()] == list(range(10))


def test_editing_or_deleting_a_question_after_submission_leaves_the_answers_sent(
    client, draft, every_kind
):
    client.post(QUESTIONS, answers_post(every_kind))
    client.post(reverse("applications:submit", args=["DKR1"]))
    choice = every_kind["choice"]

    # In place (a shell), through a new version (the admin), and deleted outright.
    Question.objects.filter(pk=choice.pk).update(
        label_fr="Qui vous a parlé de nous ?",
        choices=[{"value": "friend", "fr": "Un proche", "en": "Someone close"}],
    )
    fresh = new_version(every_kind["yes_no"], {"label_fr": "Une colocation vous convient-elle ?"})
    every_kind["short"].delete()

    sent = answers_of(draft)
    assert sent["Comment avez-vous connu la mission ?"].text_fr == "Un·e ami·e"
    assert sent["Acceptez-vous un logement partagé ?"].text_en == "Yes"
    assert sent["Acceptez-vous un logement partagé ?"].question_id == every_kind["yes_no"].pk
    assert sent["Votre ville de départ ?"].text_fr == "Thiès"  # its question is gone
    assert sent["Votre ville de départ ?"].question_id is None
    assert fresh.version == 2 and fresh.previous_id == every_kind["yes_no"].pk


@pytest.mark.parametrize(
    ("language", "name", "value", "message"),
    [
        ("fr", "number", "41", "Assurez-vous que cette valeur est inférieure ou égale à 40."),
        ("en", "number", "41", "Ensure this value is less than or equal to 40."),
        ("fr", "date", 10, "Indiquez une date à partir du"),  # days from the pinned now
        ("en", "date", 250, "Give a date no later than"),
        ("fr", "choice", "tampered", "Sélectionnez un choix valide. tampered n’en fait pas partie."),
        ("en", "choice", "tampered", "Select a valid choice. tampered is not one of the available choices."),
        ("fr", "long", "x" * 100_000, "Assurez-vous que cette valeur comporte au plus 1500 caractères (actuellement 100000)."),
        ("en", "long", "x" * 100_000, "Ensure this value has at most 1500 characters (it has 100000)."),
        ("fr", "yes_no", "", "Répondez à cette question."),
        ("en", "yes_no", "", "Answer this question."),
    ],
)  # fmt: skip
def test_a_bad_answer_is_refused_on_its_field_and_the_rest_is_kept(
    client, draft, every_kind, language, name, value, message
):
    client.post(QUESTIONS, answers_post(every_kind, next="draft"))  # a first, valid save
    before = answers_of(draft)[every_kind[name].label_fr].value
    if name == "date":
        value = days(value).isoformat()  # here, not at collection: the clock may be moved
    url = QUESTIONS_EN if language == "en" else QUESTIONS

    response = client.post(url, answers_post(every_kind, **{field(every_kind[name]): value}, **{
        field(every_kind["short"]): "Kaolack", field(every_kind["file"]): None}))  # fmt: skip

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    answers = answers_of(draft)
    assert answers["Votre ville de départ ?"].value == "Kaolack"  # the valid parts are saved
    assert answers[every_kind[name].label_fr].value == before  # the bad one keeps what it had
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAFT


def test_a_file_that_fails_the_document_checks_is_refused_and_the_earlier_one_kept(
    client, draft, every_kind
):
    client.post(QUESTIONS, answers_post(every_kind, next="draft"))
    fake = SimpleUploadedFile("diplome.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    response = client.post(QUESTIONS, answers_post(every_kind, **{field(every_kind["file"]): fake}))

    assert response.status_code == 200
    assert FAKE_PDF_ERROR in response.content.decode().replace("&#x27;", "'")
    answer = answers_of(draft)["Votre diplôme"]
    assert answer.document.original_name == "diplome.pdf"
    with answer.document.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")


def test_a_required_question_unanswered_stops_the_submission(client, draft, mission):
    ask(mission, K.YES_NO, label_fr="Acceptez-vous un logement partagé ?", required=True)

    response = client.post(reverse("applications:submit", args=["DKR1"]), follow=True)

    assert "Répondez à la question « Acceptez-vous un logement partagé ? »." in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAFT


@pytest.fixture
def abroad(mission):
    lived = ask(mission, K.YES_NO, label_fr="Avez-vous déjà vécu à l'étranger ?")
    where = ask(mission, K.COUNTRY, label_fr="Dans quel pays ?", condition_question=lived,
                condition_values=["yes"], required=True)  # fmt: skip
    how_long = ask(mission, K.NUMBER, label_fr="Combien de mois ?", condition_question=where,
                   condition_values=["ML"])  # fmt: skip
    return lived, where, how_long


def test_a_conditional_question_is_asked_only_after_its_answer(client, draft, abroad):
    lived, where, how_long = abroad

    client.post(QUESTIONS, {field(lived): "yes", field(where): "ML", field(how_long): "8",
                            "next": "draft"})  # fmt: skip
    assert set(answers_of(draft)) == {
        "Avez-vous déjà vécu à l'étranger ?", "Dans quel pays ?", "Combien de mois ?"
    }  # fmt: skip

    # "No" hides the country, and with it the question that depends on the country.
    client.post(QUESTIONS, {field(lived): "no", field(where): "ML", field(how_long): "8",
                            "next": "review"})  # fmt: skip
    assert {k: a.value for k, a in answers_of(draft).items()} == {
        "Avez-vous déjà vécu à l'étranger ?": "no"
    }


def test_a_required_conditional_question_is_required_only_when_shown(client, draft, abroad):
    lived, _where, _how_long = abroad

    hidden = client.post(QUESTIONS, {field(lived): "no", "next": "review"})
    shown = client.post(QUESTIONS, {field(lived): "yes", "next": "review"})

    assert hidden.status_code == 302
    assert shown.status_code == 200
    assert "Répondez à cette question." in shown.content.decode()


@pytest.fixture
def licence(mission):
    return ask(mission, K.YES_NO, label_fr="Avez-vous le permis B ?",
               label_en="Do you hold a driving licence?", knockout_values=["no"],
               ask_before_applying=True, required=True)  # fmt: skip


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (QUESTIONS, "Cette mission demande : « Avez-vous le permis B ? » Votre réponse, « Non », ne permet pas d'y postuler."),
        (QUESTIONS_EN, "This mission asks: “Do you hold a driving licence?” Your answer, “No”, does not allow you to apply."),
    ],
)  # fmt: skip
def test_a_knockout_answer_refuses_in_the_candidates_language_and_can_be_corrected(
    client, draft, licence, url, expected
):
    refused = client.post(url, {field(licence): "no", "next": "review"})

    assert refused.status_code == 200
    assert expected in refused.content.decode().replace("&#x27;", "'")
    submit = client.post(reverse("applications:submit", args=["DKR1"]))
    assert submit.status_code == 302
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAFT
    blocked = client.get(reverse("applications:apply", args=["DKR1"]))
    assert blocked.status_code == 403
    assert reverse("applications:questions", args=["DKR1"]) in blocked.content.decode()

    corrected = client.post(url, {field(licence): "yes", "next": "review"})
    assert corrected.status_code == 302
    assert client.post(reverse("applications:submit", args=["DKR1"])).status_code == 302
    draft.refresh_from_db()
    assert draft.stage == Stage.SUBMITTED


@pytest.mark.parametrize(
    ("path", "answer", "expected"),
    [
        ("/missions/DKR1/", "no", "Cette mission demande : « Avez-vous le permis B ? »"),
        ("/en/missions/DKR1/", "no", "This mission asks: “Do you hold a driving licence?”"),
        ("/missions/DKR1/", "yes", "Vous pouvez postuler."),
        ("/missions/DKR1/", "", "Répondez à cette question."),
    ],
)
def test_the_anonymous_check_asks_the_knockout_question_before_applying(
    client, licence, path, answer, expected
):
    page = client.get(path).content.decode()
    assert f'name="answer_{licence.pk}"' in page

    response = client.get(
        path, {"nationality": "FR", "residence": "FR", f"answer_{licence.pk}": answer}
    )

    assert expected in response.content.decode().replace("&#x27;", "'")


def many_questions(mission, count):
    kinds = [K.SHORT_TEXT, K.YES_NO, K.NUMBER, K.CHOICE, K.DATE]
    for i in range(count):
        kind = kinds[i % len(kinds)]
        extra = {"choices": HEARD} if kind == K.CHOICE else {}
        ask(mission, kind, label_fr=f"Question {i} ?", required=i % 3 == 0, **extra)


def answers_for(mission) -> dict:
    values = {K.SHORT_TEXT: "Oui", K.YES_NO: "yes", K.NUMBER: "3", K.CHOICE: "site",
              K.DATE: days(60).isoformat()}  # fmt: skip
    return {f"q{q.pk}": values[q.kind] for q in Question.objects.filter(mission=mission)}


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_questions_step_takes_the_same_queries_for_10_or_40_questions(
    client, candidate, private_media, method
):
    counts = []
    for reference, count in (("TEN", 10), ("FORTY", 40)):
        mission = MissionFactory(reference=reference)
        many_questions(mission, count)
        ready_draft(candidate, mission)
        mission_cache.bump()  # as the admin does: the kept missions and links read it afresh
        url = f"/missions/{reference}/apply/questions/"
        client.post(url, {**answers_for(mission), "next": "draft"})  # answers saved once
        with CaptureQueriesContext(connection) as queries:
            if method == "get":
                response = client.get(url)
            else:
                response = client.post(url, {**answers_for(mission), "next": "review"})
        assert response.status_code == (200 if method == "get" else 302)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_draft_keeps_the_answers_when_the_candidate_comes_back(client, draft, every_kind):
    client.post(QUESTIONS, answers_post(every_kind, next="draft"))

    html = client.get(QUESTIONS).content.decode()

    assert 'value="Thiès"' in html
    assert f'value="{days(45).isoformat()}"' in html
    assert "Fichier enregistré" in html and "diplome.pdf" in html


def test_the_service_saves_answers_without_the_form(draft, every_kind):
    # The service the API and the admin share, without the form: bounds are the form's.
    services.application_answers_save(
        application=draft,
        questions=list(every_kind.values()),
        changes={every_kind["number"].pk: 7, every_kind["yes_no"].pk: "no"},
        uploads={},
    )

    values = {a.question_id: a.value for a in Answer.objects.filter(application=draft)}
    assert values == {every_kind["number"].pk: 7, every_kind["yes_no"].pk: "no"}


def test_answers_to_questions_deleted_or_withdrawn_before_sending_are_not_sent(
    client, draft, every_kind, mission
):
    client.post(QUESTIONS, answers_post(every_kind, next="draft"))
    every_kind["short"].delete()  # deleted outright
    mission.question_links.filter(question=every_kind["file"]).delete()  # no longer asked

    client.post(reverse("applications:submit", args=["DKR1"]))

    draft.refresh_from_db()
    assert draft.stage == Stage.SUBMITTED
    sent = answers_of(draft)
    assert "Votre ville de départ ?" not in sent and "Votre diplôme" not in sent
    assert len(sent) == 8
    assert not ApplicationDocument.objects.filter(kind="supporting").exists()
