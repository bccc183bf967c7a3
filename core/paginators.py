"""Paginators for big lists: the total read with the page's rows (public pages), and an
estimated, cached count (the admin's lists of hundreds of thousands of rows)."""

import contextlib
import hashlib
import json
from collections.abc import Iterator
from functools import cached_property
from typing import Any, cast

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window

TOTAL = "paginator_total"
# Offsets past this go Django's way: a database refuses an OFFSET beyond a 64-bit integer.
MAX_OFFSET = 2**62


class WindowCountPaginator(Paginator[Any]):
    """Fetches a page of a queryset with ``COUNT(*) OVER ()`` beside each row, so the total
    arrives with the rows; Django's paginator asks for ``COUNT(*)`` first, then the rows.

    The database sorts every matching row for the page anyway, so the count costs it nothing
    more. A page past the end (or an empty list) falls back to Django's way: a count, then
    the last page. Rows of a ``values()`` queryset carry the total as ``paginator_total``.
    """

    object_list: QuerySet[Any]

    def get_page(self, number: Any) -> Page[Any]:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        if number >= 1 and bottom <= MAX_OFFSET:
            counted = self.object_list.annotate(**{TOTAL: Window(Count("pk"))})
            rows = list(counted[bottom : bottom + self.per_page + self.orphans])
            if rows:
                first = rows[0]
                total = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
                self.__dict__["count"] = total  # Paginator.count is a cached_property
                if number > self.num_pages:  # only orphans: they belong to the page before
                    return super().get_page(number)
                top = bottom + self.per_page
                if top + self.orphans < total:
                    rows = rows[: self.per_page]
                return Page(rows, number, self)
        return super().get_page(number)


# Below this many rows (by the planner's estimate) an exact COUNT(*) is cheap enough.
EXACT_COUNT_BELOW = 200_000
# From this many rows on, the count (exact or estimated) is kept this long, for everyone:
# counting 50,000 wide rows takes longer than the rest of the page's queries together.
CACHED_COUNT_FROM = 10_000
COUNT_CACHE_SECONDS = 60
# A page this far in (rows skipped) and in the back half of its list is read from the list's
# end: the database then skips the rows after it, not the (many more) rows before it.
READ_FROM_END_PAST = 10_000


class EstimatedCountPaginator(Paginator[Any]):
    """Counting a million rows exactly costs more than it tells: on PostgreSQL, when the planner
    expects more than EXACT_COUNT_BELOW rows, its estimate is shown instead ("about").

    A count of CACHED_COUNT_FROM rows or more is cached for COUNT_CACHE_SECONDS, for every
    worker: the total of a big list may lag behind by that much (its last page then short or
    long by what changed meanwhile); a smaller list (a mission's applications, one's own) is
    always counted afresh."""

    @cached_property
    def count(self) -> int:
        queryset = cast(QuerySet[Any], self.object_list)
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return int(queryset.count())
        key = self.cache_key()
        cached = cache.get(key)
        if cached is not None:
            return int(cached)
        estimate = self.estimate()
        count = estimate if estimate >= EXACT_COUNT_BELOW else int(queryset.count())
        if count >= CACHED_COUNT_FROM:
            cache.set(key, count, COUNT_CACHE_SECONDS)
        return count

    def page(self, number: Any) -> Page[Any]:
        """A page of the back half of a long list is read from its end, in the list's reversed
        order (the last page of a million applications: an OFFSET of a few rows, not of a
        million). Its place from the end needs the exact count, which then replaces the
        estimate (a page past the true end shows the true last page)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        if (
            bottom < READ_FROM_END_PAST
            or bottom * 2 < self.count
            or not isinstance(queryset, QuerySet)
            or not queryset.ordered
        ):
            return super().page(number)
        self.__dict__["count"] = exact = int(self.rows().count())
        self.__dict__.pop("num_pages", None)  # both cached properties
        number = min(number, self.num_pages)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= exact:
            top = exact
        rows = list(queryset.reverse()[max(exact - top, 0) : max(exact - bottom, 0)])
        rows.reverse()
        return Page(rows, number, self)

    def get_elided_page_range(
        self, number: int | float | str = 1, *, on_each_side: int = 3, on_ends: int = 2
    ) -> Iterator[str | int]:
        """The page links around a page: the admin asks with the number requested, which is
        past the end once ``page`` replaced a too high estimate by the exact count."""
        with contextlib.suppress(TypeError, ValueError):
            number = min(int(number), self.num_pages)
        return super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)

    def rows(self) -> QuerySet[Any]:
        """The rows a count would see: no ordering, joined columns or annotations to plan."""
        return cast(QuerySet[Any], self.object_list).order_by().values("pk")

    def cache_key(self) -> str:
        queryset = self.rows()
        sql, params = queryset.query.sql_with_params()
        database = connections[queryset.db].settings_dict["NAME"]
        digest = hashlib.sha256(repr((database, sql, params)).encode()).hexdigest()
        return f"admin:count:{digest}"

    def estimate(self) -> int:
        queryset = self.rows()
        sql, params = queryset.query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])
