"""A paginator for very large admin lists: an exact count when cheap, an estimate otherwise."""

import json
from functools import cached_property
from typing import Any, cast

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet

# Below this many rows (by the planner's estimate) an exact COUNT(*) is cheap enough.
EXACT_COUNT_BELOW = 200_000


class EstimatedCountPaginator(Paginator):
    """Counting a million rows exactly costs more than it tells: on PostgreSQL, when the planner
    expects more than EXACT_COUNT_BELOW rows, its estimate is shown instead ("about")."""

    @cached_property
    def count(self) -> int:
        queryset = cast(QuerySet[Any], self.object_list)
        if connection.vendor != "postgresql":
            return int(queryset.count())
        estimate = self.estimate()
        return estimate if estimate >= EXACT_COUNT_BELOW else int(queryset.count())

    def estimate(self) -> int:
        sql, params = cast(QuerySet[Any], self.object_list).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])
