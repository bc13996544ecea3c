"""The care line's indicator for the assessment (`"assessment.indicators"`, core.indicators): micro-wishes
fulfilled in the period, per community (the wish's) and per person (the cadre who claimed it), each wish a record
titled by its matter's code (never the household)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models import Wish, WishState
from core.indicators import Figure, RecordRef


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    return lo, timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))


def wishes_fulfilled(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
    lo, hi = _bounds(start, end)
    column = "claimed_by__person__id" if subject == "person" else "community_id"
    qs = Wish.objects.filter(state=WishState.FULFILLED, fulfilled_at__gte=lo, fulfilled_at__lt=hi)
    qs = qs.filter(**{f"{column}__isnull": False})
    if ids is not None:
        qs = qs.filter(**{f"{column}__in": ids})
    records: dict[int, list[RecordRef]] = defaultdict(list)
    for key, pk, matter_id, code in qs.order_by("pk").values_list(column, "pk", "matter_id", "matter__code"):
        records[key].append(RecordRef("care.wish", pk, code, reverse("matters:detail", args=[matter_id])))
    return {key: Figure(float(len(refs)), records=tuple(refs)) for key, refs in records.items()}


INDICATORS = [
    {
        "key": "care.wishes_fulfilled",
        "label": _("Micro-wishes fulfilled"),
        "subjects": ("unit", "person"),
        "kind": "count",
        "compute": "care.indicators:wishes_fulfilled",
    }
]
