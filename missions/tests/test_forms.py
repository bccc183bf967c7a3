import re

import pytest
from django.utils import translation

from missions import cache as mission_cache
from missions.forms import (
    EligibilityCheckForm,
    MissionFilterForm,
    PublicForm,
    ReviewRequestForm,
    unanswered_eligibility_questions,
)
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


def element(html: str, element_id: str) -> str:
    match = re.search(rf'<[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


def classes(tag: str) -> set[str]:
    match = re.search(r'\bclass="([^"]*)"', tag)
    return set(match.group(1).split()) if match else set()


def test_each_field_has_its_label_and_its_help_text_tied_to_it():
    html = str(MissionFilterForm(None))

    for name in ("q", "country", "programme", "open_only"):
        assert re.search(rf'<label\s+for="id_{name}"', html)
    assert 'aria-describedby="id_q_helptext"' in element(html, "id_q")
    assert "par exemple « ESS »" in html.replace("&#x27;", "'")
    assert "form-control" in classes(element(html, "id_q"))
    assert "form-select" in classes(element(html, "id_country"))
    assert "form-check-input" in classes(element(html, "id_open_only"))
    assert "is-invalid" not in html and "aria-invalid" not in html


def test_a_field_in_error_says_so_and_points_to_its_message():
    MissionFactory(host_country="TG")
    form = MissionFilterForm({"country": "ZZ", "q": "<b>x</b>"})
    form.is_valid()

    html = str(form)

    country = element(html, "id_country")
    assert 'aria-invalid="true"' in country and "is-invalid" in country
    assert 'aria-describedby="id_country_error"' in country
    message = html[html.index('id="id_country_error"') :].split("</div>")[0]
    assert 'class="invalid-feedback"' in message
    assert "Aucune mission publiée dans ce pays" in message
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in html  # what was typed comes back, escaped
    assert "aria-invalid" not in element(html, "id_q")


def test_required_questions_are_marked_and_hidden_answers_stay_hidden():
    check = " ".join(str(EligibilityCheckForm(None)).split())  # crispy's line breaks as spaces
    review = str(ReviewRequestForm(initial={"nationality": "SN"}, auto_id="review_%s"))

    assert (
        'class="form-label requiredField"> Votre nationalité<span class="asteriskField">*' in check
    )
    assert 'for="id_second_nationality" class="form-label">' in check  # optional: no star
    assert '<input type="hidden" name="nationality" value="SN"' in review
    assert '<textarea name="message"' in review and 'for="review_message"' in review


def test_unanswered_questions_are_written_once_per_language_as_the_form_would_write_them():
    unanswered_eligibility_questions.cache_clear()
    with translation.override("en"):
        english = str(EligibilityCheckForm())
        assert str(EligibilityCheckForm()) == english
        assert unanswered_eligibility_questions.cache_info().hits == 1  # written once
        assert english == PublicForm.render(EligibilityCheckForm())  # the form's own HTML
        assert "Your nationality" in english
    french = str(EligibilityCheckForm())
    answered = str(EligibilityCheckForm({"nationality": "SN", "residence": "FR"}))

    assert "Votre nationalité" in french
    assert unanswered_eligibility_questions.cache_info().currsize == 2  # one per language
    assert '<option value="SN" selected>' in answered and 'value="SN" selected' not in french


def test_blank_filters_are_written_once_per_language_until_a_mission_changes():
    MissionFactory(host_country="TG")
    before = str(MissionFilterForm(None))
    MissionFactory(host_country="BJ")  # from a shell: no version bump yet

    assert before == PublicForm.render(MissionFilterForm(None))  # the form's own HTML
    assert str(MissionFilterForm(None)) == before  # kept
    with translation.override("en"):
        assert ">Togo</option>" in str(MissionFilterForm(None))
        assert "All countries" in str(MissionFilterForm(None))

    mission_cache.bump()  # what the admin and the loader do after a change

    after = str(MissionFilterForm(None))
    assert '<option value="BJ">Bénin</option>' in after
    assert '<option value="BJ">' not in before
    filled = str(MissionFilterForm({"country": "TG"}))
    assert '<option value="TG" selected>' in filled  # a filled form is written every time
