"""A paginator that reads the total with the page's rows: one query instead of two."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "paginator_total"
# Offsets past this go Django's way: a database refuses an OFFSET beyond a 64-bit integer.
MAX_OFFSET = 2**62


class WindowCountPaginator(Paginator):
    """Fetches a page of a queryset with ``COUNT(*) OVER ()`` beside each row, so the total
    arrives with the rows; Django's paginator asks for ``COUNT(*)`` first, then the rows.

    The database sorts every matching row for the page anyway, so the count costs it nothing
    more. A page past the end (or an empty list) falls back to Django's way: a count, then
    the last page. Rows of a ``values()`` queryset carry the total as ``paginator_total``.
    """

    object_list: QuerySet[Any]

    def get_page(self, number: Any) -> Page:
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
