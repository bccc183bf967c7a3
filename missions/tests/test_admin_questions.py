"""The questions in the admin: inline on the mission, the banks' page, new versions."""

import json

import pytest
from django.urls import reverse

from applications.models import Answer, Stage
from applications.tests.factories import answered, submitted
from missions.models import MissionQuestion, Question, QuestionKind, mission_questions
from missions.selectors import mission_links
from missions.tests.factories import MissionFactory, ProgrammeFactory, QuestionFactory
from testing.clock import at
from volunteers.models import User

pytestmark = pytest.mark.django_db

QUESTIONS = reverse("admin:missions_question_changelist")
WARNING = "Cette question a déjà des réponses envoyées : une nouvelle version la remplace"


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser(email="staff@example.org", password="x"))
    return client


def question_data(**fields) -> dict:
    """A question's fields as its form posts them (JSON fields as text)."""
    data = {"kind": "yes_no", "label_fr": "", "label_en": "", "help_fr": "", "help_en": "",
            "order": "0", "choices": "[]", "knockout_values": "[]", "condition_values": "[]"}  # fmt: skip
    data.update(fields)
    for name in ("choices", "knockout_values", "condition_values"):
        if not isinstance(data[name], str):
            data[name] = json.dumps(data[name])
    return data


def mission_post(client, mission, own=(), bank=()):
    """Post the mission's change page as it stands, with these question forms: ``own`` (the
    mission's own questions, those with an "id" first) and ``bank`` (links to bank questions)."""
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    page = client.get(url).context
    form = page["adminform"].form
    initial = {
        inline.formset.prefix: {f.instance.pk: hidden_initial(f) for f in inline.formset.forms}
        for inline in page["inline_admin_formsets"]
    }
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"excluded_nationalities": [], "excluded_residences": [], "programmes": [],
                 "partners": [], "coordinators": [], "languages_required": "{}",
                 "start_date": mission.start_date.isoformat(),
                 "deadline_date": mission.deadline_date.isoformat()})  # fmt: skip
    for prefix, forms in (("own_questions", own), ("question_links", bank)):
        data.update({f"{prefix}-TOTAL_FORMS": len(forms), f"{prefix}-MIN_NUM_FORMS": 0,
                     f"{prefix}-MAX_NUM_FORMS": 1000,
                     f"{prefix}-INITIAL_FORMS": sum("id" in f for f in forms)})  # fmt: skip
        for index, fields in enumerate(forms):
            data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
            for name, value in initial[prefix].get(fields.get("id"), {}).items():
                data[f"initial-{prefix}-{index}-{name}"] = value
            data[f"{prefix}-{index}-mission"] = mission.pk
    # The training sessions' inline, left empty.
    data.update({"training_sessions-TOTAL_FORMS": 0, "training_sessions-INITIAL_FORMS": 0})
    return client.post(url, data, follow=True)


def hidden_initial(form) -> dict:
    """The values the page keeps in hidden inputs to tell what changed (JSON fields)."""
    return {
        name: field.prepare_value(form[name].initial)
        for name, field in form.fields.items()
        if field.show_hidden_initial
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_question_added_on_the_mission_page_is_asked_by_the_mission(staff_client):
    mission = MissionFactory()

    response = mission_post(staff_client, mission, own=[
        question_data(kind="choice", label_fr="Niveau de wolof ?", label_en="Wolof level?",
                      choices=[{"value": "none", "fr": "Aucun", "en": "None"},
                               {"value": "fluent", "fr": "Courant", "en": "Fluent"}]),
    ])  # fmt: skip

    assert response.status_code == 200 and not response.context.get("errors")
    assert [q.label_fr for q in mission_questions(mission)] == ["Niveau de wolof ?"]


def test_a_bank_question_is_reused_on_the_mission_in_its_order(staff_client):
    mission = MissionFactory()
    own = QuestionFactory(mission=mission, label_fr="Permis B ?", order=2)
    bank = QuestionFactory(mission=None, programme=ProgrammeFactory(), label_fr="Comment ?")

    mission_post(
        staff_client,
        mission,
        own=[question_data(id=own.pk, label_fr="Permis B ?", label_en="Licence?", order=2)],
        bank=[{"question": bank.pk, "order": 1}],
    )

    assert [q.label_fr for q in mission_questions(mission)] == ["Comment ?", "Permis B ?"]


def test_a_knockout_question_added_on_the_mission_page_is_a_rule_at_once(
    staff_client, django_capture_on_commit_callbacks
):
    mission = MissionFactory()
    before = mission_links(mission)  # the kept links, before the question

    with django_capture_on_commit_callbacks(execute=True):
        mission_post(staff_client, mission, own=[
            question_data(label_fr="Permis B ?", label_en="Licence B?", knockout_values=["no"]),
        ])  # fmt: skip

    after = mission_links(mission)
    assert (len(before.knockouts), before.asks_questions) == (0, False)
    # The apply steps read the questions only for a mission that asks some.
    assert (len(after.knockouts), after.asks_questions) == (1, True)


@pytest.fixture
def answered_question():
    """A question of a mission answered "yes" in a submitted application and in a draft."""
    question = QuestionFactory(label_fr="Permis B ?", label_en="Driving licence B?")
    application = submitted(question.mission)
    answered(application, {question: "yes"})
    draft = submitted(question.mission, stage=Stage.DRAFT, reference="", number=None,
                      submitted_at=None)  # fmt: skip
    answered(draft, {question: "no"})
    return question


def test_changing_an_answered_question_on_the_mission_page_makes_a_new_version(
    staff_client, answered_question
):
    mission = answered_question.mission
    sent = Answer.objects.get(application__stage=Stage.SUBMITTED)

    response = mission_post(staff_client, mission, own=[question_data(
        id=answered_question.pk, label_fr="Permis B depuis deux ans ?",
        label_en="Driving licence B for two years?", order=answered_question.order,
    )])  # fmt: skip

    assert any(WARNING in m for m in messages_of(response))
    fresh = mission_questions(mission)
    assert [(q.label_fr, q.version) for q in fresh] == [("Permis B depuis deux ans ?", 2)]
    assert fresh[0].previous_id == answered_question.pk
    answered_question.refresh_from_db()
    assert answered_question.retired_at is not None
    assert answered_question.label_fr == "Permis B ?"
    sent.refresh_from_db()
    assert (sent.question_id, sent.label_fr, sent.label_en, sent.text_fr, sent.text_en) == (
        answered_question.pk,
        "Permis B ?",
        "Driving licence B?",
        "Oui",
        "Yes",
    )


def test_changing_an_answered_question_in_the_bank_makes_a_new_version_and_shows_it(
    staff_client, answered_question
):
    url = reverse("admin:missions_question_change", args=[answered_question.pk])
    data = question_data(mission=answered_question.mission_id, label_fr="Permis C ?",
                         label_en="Driving licence C?", order=answered_question.order,
                         organisation="", programme="")  # fmt: skip

    form = staff_client.get(url).context["adminform"].form
    initial = {f"initial-{name}": value for name, value in hidden_initial(form).items()}

    response = staff_client.post(url, {**data, **initial, "_continue": "1"}, follow=True)

    fresh = Question.objects.get(previous=answered_question)
    assert response.redirect_chain[-1][0].endswith(f"/question/{fresh.pk}/change/")
    assert any(WARNING in m for m in messages_of(response))
    assert [q.pk for q in mission_questions(answered_question.mission)] == [fresh.pk]
    sent = Answer.objects.get(application__stage=Stage.SUBMITTED)
    assert (sent.label_fr, sent.text_fr) == ("Permis B ?", "Oui")


def test_changing_only_the_help_of_an_answered_question_keeps_it(staff_client, answered_question):
    mission_post(staff_client, answered_question.mission, own=[question_data(
        id=answered_question.pk, label_fr="Permis B ?", label_en="Driving licence B?",
        help_fr="Le permis de conduire français ou équivalent.", order=answered_question.order,
    )])  # fmt: skip

    answered_question.refresh_from_db()
    assert answered_question.help_fr == "Le permis de conduire français ou équivalent."
    assert (answered_question.version, answered_question.retired_at) == (1, None)
    assert Question.objects.count() == 1


def test_a_question_answered_only_in_drafts_is_changed_in_place(staff_client):
    question = QuestionFactory(label_fr="Permis B ?", label_en="Driving licence B?")
    draft = submitted(question.mission, stage=Stage.DRAFT, reference="", number=None,
                      submitted_at=None)  # fmt: skip
    answered(draft, {question: "yes"})

    response = mission_post(staff_client, question.mission, own=[question_data(
        id=question.pk, label_fr="Permis C ?", label_en="Driving licence C?", order=question.order,
    )])  # fmt: skip

    assert not any(WARNING in m for m in messages_of(response))
    question.refresh_from_db()
    assert (question.label_fr, question.version) == ("Permis C ?", 1)


def test_a_replaced_version_is_read_only(staff_client, answered_question):
    mission_post(staff_client, answered_question.mission, own=[question_data(
        id=answered_question.pk, label_fr="Permis C ?", label_en="Licence C?",
    )])  # fmt: skip
    url = reverse("admin:missions_question_change", args=[answered_question.pk])

    response = staff_client.post(url, question_data(label_fr="Autre", label_en="Other"))

    assert response.status_code == 403
    answered_question.refresh_from_db()
    assert answered_question.label_fr == "Permis B ?"


def test_a_bank_question_needs_an_owner(staff_client):
    data = question_data(label_fr="Sans banque ?", label_en="No bank?", organisation="",
                         programme="", mission="")  # fmt: skip

    response = staff_client.post(reverse("admin:missions_question_add"), data)

    assert "Choisissez à qui est la question" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"owner": "programme"}, "Du programme ?", "De l'organisation ?"),
        ({"owner": "organisation"}, "De l'organisation ?", "Du programme ?"),
        ({"kind__exact": "short_text"}, "De l'organisation ?", "Du programme ?"),
        ({"retired": "yes"}, "Ancienne ?", "Du programme ?"),
        ({"retired": "no"}, "Du programme ?", "Ancienne ?"),
        ({"q": "organisation"}, "De l'organisation ?", "Du programme ?"),
        ({"q": "from the programme"}, "Du programme ?", "De l'organisation ?"),
    ],
)
def test_the_banks_are_filtered_by_owner_kind_version_and_searched(
    staff_client, params, shown, hidden
):
    QuestionFactory(mission=None, programme=ProgrammeFactory(), label_fr="Du programme ?",
                    label_en="From the programme?")  # fmt: skip
    QuestionFactory(mission=None, organisation="France Volontaires", kind=QuestionKind.SHORT_TEXT,
                    label_fr="De l'organisation ?", label_en="From the organisation?")  # fmt: skip
    QuestionFactory(mission=None, organisation="France Volontaires", label_fr="Ancienne ?",
                    retired_at=at(-30))  # fmt: skip

    html = staff_client.get(QUESTIONS, params).content.decode()

    assert shown.replace("'", "&#x27;") in html and hidden.replace("'", "&#x27;") not in html


def test_the_bank_autocomplete_offers_current_bank_questions_only(staff_client):
    bank = QuestionFactory(mission=None, organisation="ONG", label_fr="Disponible ?")
    QuestionFactory(label_fr="Disponible pour cette mission ?")  # a mission's own
    QuestionFactory(mission=None, organisation="ONG", label_fr="Disponible avant ?",
                    retired_at=at(-30))  # fmt: skip

    found = staff_client.get(reverse("admin:autocomplete"), {
        "app_label": "missions", "model_name": "missionquestion", "field_name": "question",
        "term": "Disponible",
    }).json()  # fmt: skip

    assert [r["id"] for r in found["results"]] == [str(bank.pk)]
    assert MissionQuestion.objects.filter(question=bank).count() == 0
