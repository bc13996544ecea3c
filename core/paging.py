"""Pages of long lists that read only the page's rows.

Django's Paginator slices the full query: to sort, the database reads every matching row whole. For a
community's few thousand matters in a table of a million, that is most of a page's time. This paginator
finds the page's ids first (from an index holding the filter and sort columns), then loads those rows.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


class IdPaginator(Paginator):
    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
