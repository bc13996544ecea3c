"""Pages of long lists that read only the page's rows.

Django's Paginator slices the full query: to sort, the database reads every matching row whole. For a
community's few thousand matters in a table of a million, that is most of a page's time. This paginator
finds the page's ids first (from an index holding the filter and sort columns), then loads those rows
by primary key alone.

With `count_seconds`, a list's count is kept that long (the same filters reuse it). With `count_limit`
(for searches), one query fetches the ids of the first `count_limit + 1` matches:
the count stops there ("1,000+") and pages beyond it are not offered, as a search engine does, instead
of filtering all 25,000 matches of a common word to count them.
"""

from __future__ import annotations

import hashlib
from typing import Any, cast

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property


class IdPaginator(Paginator):
    def __init__(
        self, object_list: Any, per_page: int, *, count_limit: int | None = None, count_seconds: int = 0
    ) -> None:
        super().__init__(object_list, per_page)
        self.count_limit = count_limit
        self.count_seconds = count_seconds

    @property
    def queryset(self) -> QuerySet[Any]:
        return self.object_list  # type: ignore[return-value]

    @cached_property
    def _first_ids(self) -> list[Any]:
        assert self.count_limit is not None
        return list(self.queryset.values_list("pk", flat=True)[: self.count_limit + 1])

    @cached_property
    def count(self) -> int:
        if self.count_limit is not None:
            return min(len(self._first_ids), self.count_limit)
        if not self.count_seconds:
            return super().count
        # The same list asked again within the window reuses its count: counting a community's matters
        # costs more than finding its page.
        sql, params = self.queryset.values("pk").query.sql_with_params()
        key = "paging:count:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        return cast(int, cache.get_or_set(key, lambda: super(IdPaginator, self).count, self.count_seconds))

    @property
    def capped(self) -> bool:
        return self.count_limit is not None and len(self._first_ids) > self.count_limit

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if self.count_limit is None:
            ids = list(self.queryset.values_list("pk", flat=True)[bottom:top])
        else:
            ids = self._first_ids[bottom:top]
        # The ids passed the filters already: load them by key alone, keeping the columns, joins and
        # prefetches the list asked for.
        rows_qs = self.queryset.order_by()
        rows_qs.query.where = WhereNode()
        rows = {row.pk: row for row in rows_qs.filter(pk__in=ids)}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)
