"""The enterprise line's indicator for the assessment (`"assessment.indicators"`, core.indicators): the distinct
enterprises served with a policy delivery in the period, per person (who delivered) and per unit (theirs); a record
an enterprise, at its first delivery of the period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.indicators import Figure, RecordRef
from enterprises.models import Delivery


def enterprises_served(
    *, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None
) -> dict[int, Figure]:
    column = "person_id" if subject == "person" else "person__unit_id"
    qs = Delivery.objects.filter(delivered_on__gte=start, delivered_on__lte=end)
    if ids is not None:
        qs = qs.filter(**{f"{column}__in": ids})
    rows = qs.order_by("delivered_on", "pk").values_list(column, "enterprise_id", "enterprise__unit__name")
    records: dict[int, list[RecordRef]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for key, enterprise, name in rows:
        if (key, enterprise) in seen:
            continue
        seen.add((key, enterprise))
        url = reverse("enterprises:detail", args=[enterprise])
        records[key].append(RecordRef("enterprises.enterpriseprofile", enterprise, name, url))
    return {key: Figure(float(len(refs)), records=tuple(refs)) for key, refs in records.items()}


INDICATORS = [
    {
        "key": "enterprises.served",
        "label": _("Enterprises served"),
        "subjects": ("unit", "person"),
        "kind": "count",
        "compute": "enterprises.indicators:enterprises_served",
    }
]
