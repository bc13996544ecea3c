"""The petition line's indicator for the assessment (`"assessment.indicators"`, core.indicators): cases closed of
the cases owned, per owning leader and per handling unit, each case a record.

A case counts when it was received by the period's last day; it is closed when a closing made by that day was not
reopened by then (the chart `closed_chart`'s reading of the goal 全面终结). The record's title is the case's matter
code, never the petitioner.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.indicators import Figure, RecordRef
from petitions.models import Closing, PetitionCase

MODEL = "petitions.petitioncase"


def closed_of_owned(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
    cases = dict(PetitionCase.objects.filter(received_on__lte=end).order_by("pk").values_list("pk", "matter__code"))
    through = PetitionCase.owners.through if subject == "person" else PetitionCase.handling_units.through
    column = "person_id" if subject == "person" else "unit_id"
    links = through.objects.filter(petitioncase_id__in=cases).values_list(column, "petitioncase_id")
    if ids is not None:
        links = links.filter(**{f"{column}__in": ids})
    closed = {
        case
        for case, on, reopened in Closing.objects.filter(case_id__in=cases).values_list(
            "case_id", "closed_on", "reopened_on"
        )
        if on <= end and (reopened is None or reopened > end)
    }
    records: dict[int, list[RecordRef]] = defaultdict(list)
    for key, case in links.order_by(column, "petitioncase_id"):
        url = reverse("petitions:case_detail", args=[case])
        records[key].append(RecordRef(MODEL, case, cases[case], url, case in closed))
    return {
        key: Figure(sum(r.hit for r in refs) / len(refs), sum(r.hit for r in refs), len(refs), tuple(refs))
        for key, refs in records.items()
    }


INDICATORS = [
    {
        "key": "petitions.closed_of_owned",
        "label": _("Petition cases closed of owned"),
        "subjects": ("unit", "person"),
        "kind": "rate",
        "compute": "petitions.indicators:closed_of_owned",
    }
]
