import pytest
from django.core.paginator import Paginator

from core.paginators import WindowCountPaginator
from missions.models import Mission
from missions.tests.factories import MissionFactory

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
