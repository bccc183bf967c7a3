import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from core.paginators import WindowCountPaginator
from missions.models import Mission
from missions.tests.factories import MissionFactory
from testing.factories import bulk_submitted
from testing.services import require_postgresql

pytestmark = pytest.mark.django_db


def references(page) -> list[str]:
    return [row["reference"] for row in page]


@pytest.mark.parametrize(
    "number", [1, 2, 3, "3", 0, -1, 4, 99, "x", None, "", "2.0", "999999999999999999"]
)
@pytest.mark.parametrize("orphans", [0, 2])
def test_pages_are_django_s_pages_with_one_query_less(django_assert_num_queries, number, orphans):
    MissionFactory.create_batch(12)
    rows = Mission.objects.order_by("reference").values("reference")
    expected = Paginator(rows, 5, orphans=orphans).get_page(number)

    page = WindowCountPaginator(rows, 5, orphans=orphans).get_page(number)

    assert references(page) == references(expected)
    assert page.number == expected.number
    assert page.paginator.count == 12
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert (page.has_next(), page.has_previous()) == (expected.has_next(), expected.has_previous())


def test_a_page_in_range_takes_one_query_and_one_past_the_end_falls_back(
    django_assert_num_queries,
):
    MissionFactory.create_batch(7)
    rows = Mission.objects.order_by("reference").values("reference")

    with django_assert_num_queries(1):
        page = WindowCountPaginator(rows, 5).get_page(2)
        assert len(references(page)) == 2
    with django_assert_num_queries(3):  # the empty page, the count, the last page
        assert references(WindowCountPaginator(rows, 5).get_page(9)) == references(page)


def test_an_empty_list_gives_an_empty_first_page():
    page = WindowCountPaginator(Mission.objects.values("reference"), 5).get_page(1)

    assert (page.number, list(page), page.paginator.count) == (1, [], 0)


# EstimatedCountPaginator, as the applications list in the admin uses it.


@pytest.fixture
def mission():
    return MissionFactory(reference="ADM1", min_experience_years=5)


def test_the_paginator_estimates_when_counting_would_take_too_long(mission, monkeypatch):
    from core import paginators

    require_postgresql("the estimate comes from PostgreSQL's planner: set DATABASE_URL")
    bulk_submitted(mission, 500)
    exact = paginators.EstimatedCountPaginator(Application.objects.all(), 50)
    assert exact.count == 500

    monkeypatch.setattr(paginators, "EXACT_COUNT_BELOW", 1)
    with CaptureQueriesContext(connection) as queries:
        estimated = paginators.EstimatedCountPaginator(Application.objects.all(), 50).count

    assert estimated > 0 and len(queries) == 1  # the planner's estimate, no COUNT(*)
    assert queries.captured_queries[0]["sql"].startswith("EXPLAIN")


def test_a_big_count_is_cached_for_a_minute_and_a_small_one_never(mission, monkeypatch):
    from core import paginators

    require_postgresql("the estimate comes from PostgreSQL's planner: set DATABASE_URL")
    bulk_submitted(mission, 150)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            total = paginators.EstimatedCountPaginator(Application.objects.all(), 50).count
        return total, len(queries)

    assert count() == (150, 2) and count() == (150, 2)  # the plan's estimate, then COUNT(*)
    monkeypatch.setattr(paginators, "CACHED_COUNT_FROM", 100)
    assert count() == (150, 2)
    assert count() == (150, 0)  # from the cache, no query


@pytest.mark.parametrize("orphans", [0, 2])
def test_the_back_half_of_a_long_list_is_read_from_its_end_with_the_same_rows(
    mission, monkeypatch, orphans
):
    from core import paginators

    monkeypatch.setattr(paginators, "READ_FROM_END_PAST", 10)
    bulk_submitted(mission, 47)
    rows = Application.objects.order_by("-submitted_at", "-pk")
    expected = Paginator(rows, 5, orphans=orphans)

    for number in expected.page_range:
        paginator = paginators.EstimatedCountPaginator(rows, 5, orphans=orphans)
        with CaptureQueriesContext(connection) as queries:
            page = paginator.page(number)
        assert [a.pk for a in page] == [a.pk for a in expected.page(number)]
        assert (page.number, paginator.num_pages) == (number, expected.num_pages)
        if number == expected.num_pages:  # the last page: no row skipped to reach it
            assert "OFFSET" not in queries.captured_queries[-1]["sql"]
            assert '"submitted_at" ASC' in queries.captured_queries[-1]["sql"]


def test_a_page_past_the_true_end_of_an_estimated_list_shows_its_last_page(mission, monkeypatch):
    from core import paginators

    monkeypatch.setattr(paginators, "READ_FROM_END_PAST", 10)
    bulk_submitted(mission, 47)
    rows = Application.objects.order_by("-submitted_at", "-pk")
    paginator = paginators.EstimatedCountPaginator(rows, 5)
    paginator.__dict__["count"] = 60  # the planner's estimate, too high

    page = paginator.page(12)

    assert (paginator.count, paginator.num_pages, page.number) == (47, 10, 10)
    assert [a.pk for a in page] == [a.pk for a in Paginator(rows, 5).page(10)]
    # The admin's page links, asked with the number requested (a 500 before, at 1,000,000).
    assert list(paginator.get_elided_page_range(12, on_each_side=1, on_ends=1)) == [
        1, Paginator.ELLIPSIS, 9, 10
    ]  # fmt: skip
