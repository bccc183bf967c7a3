"""Staff review in the admin, as each role: what they see and what they may do."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, Note, RefusalReason, Review, Stage, StageChange
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review import services
from review.roles import COORDINATORS, MANAGERS, REVIEWERS
from volunteers.models import User, Volunteer
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:applications_application_changelist")


def staff(group: str | None, email: str) -> User:
    user = UserFactory(email=email, is_staff=group != COORDINATORS)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def mission():
    return MissionFactory(reference="ADM1", min_experience_years=5)


@pytest.fixture
def application(mission):
    notes = [
        {
            "code": "experience_below",
            "severity": "note",
            "legal_basis": "x",
            "params": {"years": 3, "required": 5},
        }
    ]
    return submitted(mission, VolunteerFactory(last_name="Ndiaye", nationalities=["FR", "SN"], residence="BE"),
                     eligibility={"eligible": True, "rules_version": "t", "evaluated_at": "t", "findings": notes})  # fmt: skip


def as_user(client, user):
    client.force_login(user)
    return client


def move(client, applications, **data):
    payload = {
        "action": "move_stage",
        "_selected_action": [a.pk for a in applications],
        "confirm": "1",
        **data,
    }
    return client.post(CHANGELIST, payload, follow=True)


def test_a_staff_member_without_a_group_sees_nothing_of_applications(client, application):
    as_user(client, staff(None, "staff@example.org"))

    assert client.get(CHANGELIST).status_code == 403
    assert (
        client.get(
            reverse("admin:applications_application_change", args=[application.pk])
        ).status_code
        == 403
    )


def test_a_coordinator_has_no_admin_access(client, application):
    as_user(client, staff(COORDINATORS, "coord@example.org"))

    response = client.get(CHANGELIST)

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_reviewer_sees_the_list_with_verdict_nationalities_and_score(client, application):
    reviewer = as_user(client, staff(REVIEWERS, "rev@example.org"))
    services.review_save(application=application, reviewer=staff(REVIEWERS, "rev2@example.org"),
                         scores={"experience": 3, "ess": 4, "cooperation": 4, "languages": 5, "motivation": 4}, comment="")  # fmt: skip

    html = reviewer.get(CHANGELIST).content.decode()

    assert "ADM1-0001" in html and "NDIAYE Awa" in html
    assert (
        "3 ans d&#x27;expérience sur 5 demandés." in html
        or "3 ans d'expérience sur 5 demandés." in html
    )
    assert "France, Sénégal" in html and "Belgique" in html
    assert "4.0" in html


def test_a_reviewer_scores_once_and_can_revise(client, application):
    as_user(client, staff(REVIEWERS, "rev@example.org"))
    url = reverse("admin:applications_application_score", args=[application.pk])
    scores = {
        "score_experience": "2",
        "score_ess": "3",
        "score_cooperation": "4",
        "score_languages": "5",
        "score_motivation": "5",
    }

    client.post(url, {**scores, "comment": "Profil solide"})
    client.post(url, {**scores, "score_experience": "4", "comment": "Revu"})

    review = Review.objects.get()
    assert (str(review.average), review.comment) == ("4.20", "Revu")


def test_a_score_outside_1_to_5_is_refused(client, application):
    as_user(client, staff(REVIEWERS, "rev@example.org"))
    url = reverse("admin:applications_application_score", args=[application.pk])

    response = client.post(
        url,
        {
            "score_experience": "9",
            "score_ess": "3",
            "score_cooperation": "4",
            "score_languages": "5",
            "score_motivation": "5",
        },
    )

    assert response.status_code == 200 and not Review.objects.exists()


def test_a_reviewer_adds_a_note_but_cannot_change_the_application(client, application):
    reviewer = staff(REVIEWERS, "rev@example.org")
    as_user(client, reviewer)
    url = reverse("admin:applications_application_change", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="stage"' not in page.content.decode()
    data = {
        "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0",
        "history-TOTAL_FORMS": "0", "history-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "0", "reviews-INITIAL_FORMS": "0",
        "notes-TOTAL_FORMS": "1", "notes-INITIAL_FORMS": "0", "notes-0-text": "Appeler la référence",
        "assigned_to": str(reviewer.pk), "stage": "selected",
    }  # fmt: skip

    client.post(url, data)

    note = Note.objects.get()
    assert (note.text, note.author) == ("Appeler la référence", reviewer)
    application.refresh_from_db()
    assert (application.stage, application.assigned_to) == (Stage.SUBMITTED, None)


def test_a_reviewer_cannot_move_stages_even_by_posting_the_action(client, application):
    as_user(client, staff(REVIEWERS, "rev@example.org"))

    move(client, [application], to_stage="selected")

    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED
    assert not StageChange.objects.exists() and not OutboxMessage.objects.exists()


def test_a_manager_previews_then_confirms_a_bulk_move(client, mission):
    as_user(client, staff(MANAGERS, "rh@example.org"))
    applications = [
        submitted(mission),
        submitted(mission, VolunteerFactory(preferred_language="en")),
    ]

    preview = client.post(
        CHANGELIST,
        {
            "action": "move_stage",
            "_selected_action": [a.pk for a in applications],
            "to_stage": "shortlisted",
            "preview": "1",
        },
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "candidature ADM1-0001 présélectionnée" in html  # the French candidate's e-mail
    assert "application ADM1-0002 shortlisted" in html  # and the English one's
    assert Application.objects.filter(stage=Stage.SHORTLISTED).count() == 0

    response = move(client, applications, to_stage="shortlisted", comment="Bons profils")

    assert "2 candidatures déplacées." in response.content.decode()
    assert Application.objects.filter(stage=Stage.SHORTLISTED).count() == 2
    change = StageChange.objects.filter(to_stage="shortlisted").first()
    assert (change.by.email, change.comment, change.from_stage) == (
        "rh@example.org",
        "Bons profils",
        "submitted",
    )
    assert OutboxMessage.objects.filter(template="application_shortlisted").count() == 2


def test_moves_that_make_no_sense_are_refused_with_a_message(client, mission):
    as_user(client, staff(MANAGERS, "rh@example.org"))
    withdrawn = submitted(mission, stage=Stage.WITHDRAWN)
    fine = submitted(mission)

    response = move(client, [withdrawn, fine], to_stage="selected")

    html = response.content.decode()
    assert "n&#x27;est pas possible" in html or "n'est pas possible" in html
    withdrawn.refresh_from_db()
    assert withdrawn.stage == Stage.WITHDRAWN
    fine.refresh_from_db()
    assert fine.stage == Stage.SUBMITTED  # submitted cannot jump straight to selected either


def test_a_refusal_needs_a_reason_whose_sentence_reaches_the_candidate(client, application):
    as_user(client, staff(MANAGERS, "rh@example.org"))
    reason = RefusalReason.objects.create(
        label="Expérience", sentence_fr="Nous cherchions plus d'expérience en gestion de projets."
    )

    without = move(client, [application], to_stage="rejected")
    assert "Choisissez le motif du refus." in without.content.decode()
    move(client, [application], to_stage="rejected", reason=reason.pk)

    application.refresh_from_db()
    assert (application.stage, application.refusal_reason) == (Stage.REJECTED, reason)
    message = OutboxMessage.objects.get(template="application_rejected")
    assert message.context["reason"] == "Nous cherchions plus d'expérience en gestion de projets."


def test_a_manager_assigns_and_the_mine_filter_finds_them(client, mission):
    as_user(client, staff(MANAGERS, "rh@example.org"))
    mine, other = submitted(mission), submitted(mission)

    client.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [mine.pk]})
    html = client.get(CHANGELIST, {"assigned": "mine"}).content.decode()

    assert mine.reference in html and other.reference not in html
    assert Application.objects.get(pk=mine.pk).assigned_to == User.objects.get(
        email="rh@example.org"
    )


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"note": "experience_below"}, "ADM1-0001", "ADM1-0002"),
        ({"eligibility": "clean"}, "ADM1-0002", "ADM1-0001"),
        ({"nationality": "SN"}, "ADM1-0001", "ADM1-0002"),
        ({"residence": "BE"}, "ADM1-0001", "ADM1-0002"),
        ({"q": "ndiaye"}, "ADM1-0001", "ADM1-0002"),
    ],
)
def test_filters_and_search(client, application, mission, params, shown, hidden):
    submitted(mission)
    as_user(client, staff(REVIEWERS, "rev@example.org"))

    html = client.get(CHANGELIST, params).content.decode()

    assert shown in html and hidden not in html


def test_the_detail_shows_profile_eligibility_documents_and_history(client, application):
    as_user(client, staff(REVIEWERS, "rev@example.org"))

    html = client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    ).content.decode()

    assert "NDIAYE Awa" in html and "+33 6 12 34 56 78" in html
    assert "remarque" in html and "sur 5 demandés" in html
    assert "Noter cette candidature" in html


def test_every_change_is_in_the_audit_history_with_its_author(client, application):
    manager = staff(MANAGERS, "rh@example.org")
    as_user(client, manager)

    move(client, [application], to_stage="in_review", comment="On regarde")
    page = client.get(reverse("admin:applications_application_history", args=[application.pk]))

    record = application.audit.first()
    assert (record.stage, record.history_user, record.history_change_reason) == (
        "in_review",
        manager,
        "On regarde",
    )
    assert page.status_code == 200 and "rh@example.org" in page.content.decode()


def test_a_bulk_move_of_200_is_one_transaction(mission):
    manager = staff(MANAGERS, "rh@example.org")
    applications = bulk_submitted(mission, 200)

    result = services.applications_move_stage(
        application_ids=[a.pk for a in applications], to_stage="shortlisted", acting_user=manager
    )

    assert len(result.moved) == 200
    assert StageChange.objects.filter(to_stage="shortlisted").count() == 200
    assert OutboxMessage.objects.filter(template="application_shortlisted").count() == 200


def test_a_failure_in_a_bulk_move_rolls_it_all_back(mission, monkeypatch):
    manager = staff(MANAGERS, "rh@example.org")
    applications = bulk_submitted(mission, 200)
    real_enqueue = services.outbox.enqueue
    calls = {"n": 0}

    def failing_enqueue(draft):
        calls["n"] += 1
        if calls["n"] == 150:
            raise RuntimeError("the database went away")  # fault injection, mid-way
        return real_enqueue(draft)

    monkeypatch.setattr(services.outbox, "enqueue", failing_enqueue)

    with pytest.raises(RuntimeError):
        services.applications_move_stage(
            application_ids=[a.pk for a in applications],
            to_stage="shortlisted",
            acting_user=manager,
        )

    assert Application.objects.filter(stage=Stage.SHORTLISTED).count() == 0
    assert not StageChange.objects.exists() and not OutboxMessage.objects.exists()


def bulk_submitted(mission, count: int) -> list[Application]:
    users = User.objects.bulk_create(
        User(email=f"{mission.reference}.{i}@example.org", password="!") for i in range(count)
    )
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(user=u, first_name="A", last_name=f"B{i}", nationalities=["FR"], residence="FR", city="Lyon",
                  phone="+33612345678", education_level="bac5", education_field="ESS", experience_years=3)
        for i, u in enumerate(users)
    )  # fmt: skip
    return Application.objects.bulk_create(
        Application(volunteer=v, mission=mission, stage=Stage.SUBMITTED, number=i + 1, reference=f"{mission.reference}-{i + 1:05d}",
                    submitted_at=mission.created_at, eligibility={"eligible": True, "findings": []})
        for i, v in enumerate(volunteers)
    )  # fmt: skip


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_the_changelist_query_count_does_not_grow_with_20000_applications(client, mission):
    as_user(client, staff(REVIEWERS, "rev@example.org"))
    bulk_submitted(mission, 60)
    client.get(CHANGELIST)  # the filters' country and mission lists are cached after this
    small = changelist_queries(client)

    bulk_submitted(MissionFactory(reference="ADM2"), 20_000)
    large = changelist_queries(client)

    assert large == small, (small, large)
    print(f"changelist: {large} queries with 60 and with 20,060 applications")


def test_admin_login_goes_through_the_rate_limited_account_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


@pytest.mark.parametrize("per_page", [20, 100])
def test_the_changelist_stays_within_8_queries_and_150_kib_whatever_the_page_size(
    client, mission, per_page, monkeypatch
):
    from review.admin import ApplicationAdmin

    monkeypatch.setattr(ApplicationAdmin, "list_per_page", per_page)
    as_user(client, staff(MANAGERS, "rh@example.org"))
    bulk_submitted(mission, 150)
    client.get(CHANGELIST)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)

    assert len(queries) <= 8, [q["sql"][:90] for q in queries.captured_queries]
    assert len(response.content) <= 150 * 1024


def test_the_paginator_estimates_when_counting_would_take_too_long(mission, monkeypatch):
    from core import paginators

    if connection.vendor != "postgresql":
        pytest.skip("the estimate comes from PostgreSQL's planner")
    bulk_submitted(mission, 500)
    exact = paginators.EstimatedCountPaginator(Application.objects.all(), 50)
    assert exact.count == 500

    monkeypatch.setattr(paginators, "EXACT_COUNT_BELOW", 1)
    with CaptureQueriesContext(connection) as queries:
        estimated = paginators.EstimatedCountPaginator(Application.objects.all(), 50).count

    assert estimated > 0 and len(queries) == 1  # the planner's estimate, no COUNT(*)
    assert queries.captured_queries[0]["sql"].startswith("EXPLAIN")


def result_table(html: str) -> str:
    start = html.index('<table id="result_list">')
    return html[start : html.index("</table>", start)]


@pytest.mark.parametrize(
    "params", [{}, {"stage__exact": "submitted", "o": "3.-8"}, {"q": "o'hara", "assigned": "mine"}]
)
def test_the_rows_are_written_as_djangos_own_tag_writes_them(
    client, application, mission, params, monkeypatch
):
    from review.admin import ApplicationChangeList

    manager = staff(MANAGERS, "rh@example.org")
    odd = submitted(mission, VolunteerFactory(last_name="<b>O'Hara</b> & fils", first_name="Zoé",
                                              nationalities=["CA", "FR"], residence="CA"),
                    assigned_to=manager)  # fmt: skip
    services.review_save(application=odd, reviewer=manager, comment="",
                         scores={"experience": 3, "ess": 4, "cooperation": 4, "languages": 5, "motivation": 2})  # fmt: skip
    submitted(mission, submitted_at=None, stage=Stage.INTERVIEW)
    as_user(client, manager)

    written = client.get(CHANGELIST, params).content.decode()
    monkeypatch.setattr(ApplicationChangeList, "table", None)  # Django's result_list tag
    django = client.get(CHANGELIST, params).content.decode()

    assert result_table(written) == result_table(django)
    assert result_table(written).count("<tr>") > 1


def test_the_mission_filter_links_the_latest_missions_and_searches_the_others(client, monkeypatch):
    from review.admin import MissionFilter

    monkeypatch.setattr(MissionFilter, "links", 2)
    old, recent, latest = (
        MissionFactory(reference=f"MF{day}", deadline_date=dt.date(2027, 3, day))
        for day in (1, 2, 3)
    )
    for mission in (old, recent, latest):
        submitted(mission)
    as_user(client, staff(REVIEWERS, "rev@example.org"))

    html = client.get(CHANGELIST).content.decode()

    assert f"?mission__id__exact={latest.pk}" in html and f"?mission__id__exact={recent.pk}" in html
    assert f"?mission__id__exact={old.pk}" not in html  # reached by the search box instead
    assert 'data-field-name="mission"' in html and 'class="admin-autocomplete"' in html
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "applications", "model_name": "application", "field_name": "mission",
         "term": "MF1"},
    )  # fmt: skip
    assert [r["id"] for r in found.json()["results"]] == [str(old.pk)]
    # The search box's form sends the mission with the other filters it keeps.
    html = client.get(CHANGELIST, {"mission__id__exact": old.pk, "stage__exact": "submitted"})
    html = html.content.decode()
    assert f'<option value="{old.pk}" selected>MF1 – ' in html
    assert '<input type="hidden" name="stage__exact" value="submitted">' in html
    assert "MF1-0001" in html and "MF3-0001" not in html


def test_a_big_count_is_cached_for_a_minute_and_a_small_one_never(mission, monkeypatch):
    from core import paginators

    if connection.vendor != "postgresql":
        pytest.skip("the estimate comes from PostgreSQL's planner")
    bulk_submitted(mission, 150)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            total = paginators.EstimatedCountPaginator(Application.objects.all(), 50).count
        return total, len(queries)

    assert count() == (150, 2) and count() == (150, 2)  # the plan's estimate, then COUNT(*)
    monkeypatch.setattr(paginators, "CACHED_COUNT_FROM", 100)
    assert count() == (150, 2)
    assert count() == (150, 0)  # from the cache, no query
