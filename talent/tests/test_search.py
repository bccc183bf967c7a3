"""Full-text search over pool members and past applicants, on PostgreSQL: unaccented, French
and English stems, ranked, extracts escaped and marked; filters; erasure; query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Answer, Stage
from applications.privacy import account_erase
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from review.services import applications_move_stage
from talent import index
from talent.models import SearchProfile
from talent.search import Criteria, search_page
from talent.tests.conftest import applicant
from volunteers.pool import pool_join
from volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgresql")]


def names(criteria: Criteria, *, per_page: int = 25, target=None) -> list[str]:
    _page, results = search_page(
        criteria=criteria, page=1, per_page=per_page, now=timezone.now(), target=target
    )
    return [result.profile.volunteer.first_name for result in results]


def found(words: str, **criteria) -> list[str]:
    return names(Criteria(words=words, **criteria))


def test_an_accented_word_is_found_without_its_accents(mission):
    applicant(mission, first_name="Awa", cv="Responsable d'élevage caprin à Thiès")
    applicant(mission, first_name="Koffi", cv="Comptable dans une banque")
    assert found("elevage") == ["Awa"]
    assert found("ÉLEVAGE") == ["Awa"]


def test_french_and_english_stems_match(mission):
    applicant(mission, first_name="Awa", cv="J'ai coordonné des coopératives agricoles")
    applicant(mission, first_name="Ruth", cv="I managed farming cooperatives in Ghana")
    assert found("coordonner") == ["Awa"]  # French stems
    assert found("managing") == ["Ruth"]  # English stems
    assert sorted(found("cooperative")) == ["Awa", "Ruth"]


def test_results_are_ranked_and_extracts_escaped_and_marked(mission):
    applicant(
        mission, first_name="Awa", cv="Élevage. <script>alert(1)</script> R&D <3 élevage bovin"
    )
    applicant(mission, first_name="Koffi", cv="Un peu d'élevage, surtout de la comptabilité")
    _page, results = search_page(
        criteria=Criteria(words="élevage"), page=1, per_page=25, now=timezone.now(), target=None
    )
    assert [r.profile.volunteer.first_name for r in results] == ["Awa", "Koffi"]
    extract = str(results[0].extract)
    assert "<mark>Élevage</mark>" in extract
    assert "R&amp;D &lt;3" in extract
    assert "<script>" not in extract


def test_words_in_answers_and_profile_are_found(mission):
    volunteer = applicant(mission, first_name="Awa", cv="CV", education_field="Agronomie")
    application = volunteer.applications.get()
    Answer.objects.create(
        application=application, kind="text", label_fr="Pourquoi ?", label_en="Why?",
        text_fr="J'aime l'apiculture", text_en="J'aime l'apiculture",
    )  # fmt: skip
    index.search_profile_refresh(volunteer_id=volunteer.pk, now=timezone.now())
    assert found("apiculture") == ["Awa"]
    assert found("agronomie") == ["Awa"]


def test_drafts_only_and_outside_the_pool_are_not_searched(mission):
    volunteer = VolunteerFactory(first_name="Zoé", education_field="Élevage")
    submitted(mission, volunteer, stage=Stage.DRAFT, submitted_at=None)
    index.search_profile_refresh(volunteer_id=volunteer.pk, now=timezone.now())
    assert found("elevage") == []
    assert not SearchProfile.objects.filter(volunteer=volunteer).exists()  # nothing kept

    pool_join(volunteer=volunteer, now=timezone.now())  # the worker then builds the profile
    index.search_profile_refresh(volunteer_id=volunteer.pk, now=timezone.now())
    assert found("elevage") == ["Zoé"]


def test_language_filter_needs_the_minimum_level(mission):
    applicant(mission, first_name="Awa", cv="élevage", languages={"fr": "native", "en": "B1"})
    applicant(mission, first_name="Ruth", cv="élevage", languages={"en": "C2"})
    assert found("élevage", languages=(("en", "B2"),)) == ["Ruth"]
    assert sorted(found("", languages=(("en", "B1"),))) == ["Awa", "Ruth"]
    assert found("", languages=(("en", "B1"), ("fr", "C1"))) == ["Awa"]


def test_nationality_and_regular_residence_filters(mission):
    applicant(mission, first_name="Awa", cv="x", nationalities=["SN", "FR"])
    applicant(mission, first_name="Koffi", cv="x", nationalities=["TG"], regular_residences=["TG"])
    assert found("", nationality="SN") == ["Awa"]
    assert found("", regular_residence="TG") == ["Koffi"]


def test_past_mission_and_stage_reached(mission, manager):
    other = MissionFactory(reference="AUT1")
    awa = applicant(mission, first_name="Awa", cv="x")
    applicant(other, first_name="Koffi", cv="x")
    ids = [awa.applications.get().pk]
    applications_move_stage(application_ids=ids, to_stage=Stage.SHORTLISTED, acting_user=manager)
    applications_move_stage(application_ids=ids, to_stage=Stage.IN_REVIEW, acting_user=manager)
    assert found("", past_mission=mission.pk) == ["Awa"]
    assert found("", stage_reached=Stage.SHORTLISTED) == ["Awa"]  # moved back since: reached
    assert found("", past_mission=other.pk, stage_reached=Stage.SHORTLISTED) == []


def test_an_erased_account_is_gone_from_the_search_at_once(mission):
    volunteer = applicant(mission, first_name="Awa", cv="Élevage de chèvres")
    document = volunteer.applications.get().documents.get()
    assert document.text
    account_erase(user=volunteer.user, reason="request")
    assert found("elevage") == []
    assert not SearchProfile.objects.filter(volunteer=volunteer).exists()
    assert not type(document).objects.filter(pk=document.pk).exists()  # its text with it
    index.search_profile_refresh(volunteer_id=volunteer.pk, now=timezone.now())  # a late task
    assert not SearchProfile.objects.filter(volunteer=volunteer).exists()


@pytest.mark.parametrize("count", [5, 25])
def test_query_count_does_not_grow_with_the_page(mission, count):
    target = MissionFactory(reference="CIBLE")
    for n in range(count):
        applicant(mission, first_name=f"P{n}", cv="élevage", pool=n % 2 == 0)
    with CaptureQueriesContext(connection) as queries:
        _page, results = search_page(
            criteria=Criteria(words="élevage"), page=1, per_page=25, now=timezone.now(),
            target=target,
        )  # fmt: skip
        for result in results:
            [language.level for language in result.profile.volunteer.languages.all()]
    assert len(results) == count
    # Ranked ids with their total; rows with extracts and pool membership; languages;
    # applications; invitations; the target's programmes and questions.
    assert len(queries) == 7, [q["sql"][:80] for q in queries.captured_queries]


def test_a_deleted_application_leaves_the_search_at_once(mission):
    from applications.services import application_delete

    volunteer = applicant(mission, first_name="Awa", cv="Élevage de chèvres", pool=True)

    application_delete(application=volunteer.applications.get())

    assert found("elevage") == []  # still in the pool, without what the application said
    assert SearchProfile.objects.get(volunteer=volunteer).documents_text == ""


def test_nobody_outside_the_pool_and_without_an_application_has_a_search_profile(mission):
    volunteer = VolunteerFactory(first_name="Lea", cv_text="Élevage ovin")

    assert index.search_profile_refresh(volunteer_id=volunteer.pk, now=timezone.now()) is None
    assert not SearchProfile.objects.filter(volunteer=volunteer).exists()


def test_staff_have_no_page_per_profile_only_the_search(client, mission, reviewer):
    volunteer = applicant(mission, first_name="Awa", cv="Élevage de chèvres")
    profile = SearchProfile.objects.get(volunteer=volunteer)
    client.force_login(reviewer)

    assert client.get("/admin/talent/searchprofile/").status_code == 200
    for page in ("change", "history", "delete"):
        response = client.get(f"/admin/talent/searchprofile/{profile.pk}/{page}/")
        assert response.status_code == 404, page
        assert "chèvres" not in response.content.decode()
