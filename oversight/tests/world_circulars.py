"""The circulars area's {targets}: a draft (with a unit concerned) and an issued circular that concerns the unit of
every demo account's person (so each reader finds it), both of 2020."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from org.models import Person, Unit
from oversight.services import circulars as services


def build() -> dict[str, str]:
    start, end = dt.date(2020, 5, 1), dt.date(2020, 5, 31)
    accounts = get_user_model().objects.filter(person__isnull=False)
    unit_ids = sorted(set(Person.objects.filter(user__in=accounts).values_list("unit_id", flat=True)))
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("pk"))
    issued = services.circular_draft(actor=None, kind="overdue", start=start, end=end, issuer="矩阵测试专班")
    issued = services.circular_update(actor=None, circular=issued, title="矩阵测试通报", units=units)
    services.circular_issue(actor=None, circular=issued)
    draft = services.circular_draft(actor=None, kind="good", start=start, end=end, issuer="矩阵测试专班")
    services.circular_update(actor=None, circular=draft, title="矩阵测试草稿", units=units[:1])
    return {"circular": str(draft.pk), "issued_circular": str(issued.pk)}
