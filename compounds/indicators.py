"""The compounds line's indicator for the assessment (`"assessment.indicators"`, core.indicators): tripartite
linkage meetings held in the period, per community (the compound's parent unit), a record a meeting."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compounds.models import LinkageMeeting
from core.indicators import Figure, RecordRef


def linkage_meetings(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
    column = "compound__compound__parent_id"
    qs = LinkageMeeting.objects.filter(held_on__gte=start, held_on__lte=end, **{f"{column}__isnull": False})
    if ids is not None:
        qs = qs.filter(**{f"{column}__in": ids})
    rows = qs.order_by("held_on", "pk").values_list(column, "pk", "compound_id", "compound__compound__name", "held_on")
    records: dict[int, list[RecordRef]] = defaultdict(list)
    for key, pk, profile, name, held_on in rows:
        url = reverse("compounds:detail", args=[profile])
        records[key].append(RecordRef("compounds.linkagemeeting", pk, f"{name} {held_on:%Y-%m-%d}", url))
    return {key: Figure(float(len(refs)), records=tuple(refs)) for key, refs in records.items()}


INDICATORS = [
    {
        "key": "compounds.linkage_meetings",
        "label": _("Linkage meetings held"),
        "subjects": ("unit",),
        "kind": "count",
        "compute": "compounds.indicators:linkage_meetings",
    }
]
