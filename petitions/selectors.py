"""Reads of the petition line: the cases a user sees, filtered; what a case page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.dates import month_spans
from core.types import Actor
from matters.workflow import ENDED, Status
from org.models import Unit
from petitions.access import cases_visible_to
from petitions.models import Closing, PetitionCase

OPEN_CASE_STATUSES = [s for s in Status if s not in ENDED]


def cases_filtered(user: Actor, params: Mapping[str, Any]) -> QuerySet[PetitionCase]:
    """The cases this user sees, by owner (a person id), focus (a code), risk and status ("open", "closed", a status)."""
    qs = cases_visible_to(user).prefetch_related("owners", "handling_units")
    owner = str(params.get("owner") or "")
    if owner.isdecimal() and len(owner) < 19:
        qs = qs.filter(owners=int(owner))
    if focus := params.get("focus"):
        qs = qs.filter(focus__code=str(focus))
    if risk := params.get("risk"):
        qs = qs.filter(risk=str(risk))
    status = str(params.get("status") or "")
    if status == "open":
        qs = qs.filter(matter__status__in=OPEN_CASE_STATUSES)
    elif status == "closed":
        qs = qs.filter(matter__status=Status.CLOSED)
    elif status in Status.values:
        qs = qs.filter(matter__status=status)
    return qs.distinct()


def closed_chart(start: dt.date, end: dt.date, scope: Unit | None) -> dict[str, Any]:
    """The oversight chart of cases closed toward the goal (全面终结): at the end of each month of the period, the
    cases closed then (a closing not reopened by that day) and the cases owned (received by that day)."""
    cases = PetitionCase.objects.all()
    if scope is not None:
        mine = Q(handling_units=scope) | Q(matter__units=scope)
        cases = cases.filter(pk__in=PetitionCase.objects.filter(mine).values("pk"))
    received = list(cases.values_list("received_on", flat=True))
    closings = list(Closing.objects.filter(case__in=cases).values_list("case_id", "closed_on", "reopened_on"))
    ends = [last for _first, last in month_spans(start, end)]
    closed = []
    for day in ends:
        closed.append(
            len({case for case, on, reopened in closings if on <= day and (reopened is None or reopened > day)})
        )
    return {
        "kind": "line",
        "labels": [date_format(day, "YEAR_MONTH_FORMAT") for day in ends],
        "series": [
            {"name": _("Cases closed"), "values": closed},
            {"name": _("Cases owned (the goal)"), "values": [sum(on <= day for on in received) for day in ends]},
        ],
        "unit": pgettext("unit of a count of petition cases", "cases"),
    }


def _period(start: Any, end: Any) -> tuple[Any, Any]:
    import datetime as dt

    from django.utils import timezone

    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    return lo, timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))


def review_section(start: Any, end: Any, scope: Any = None) -> dict[str, Any]:
    """The petition line's part of the monthly review (`oversight.sections`): the backlog and the disputes of the
    period, in counts by focus area; no petitioner, no summary."""
    from django.db.models import Count, Q
    from django.utils.translation import gettext as _

    from petitions.models import Dispute, DisputeStatus

    lo, hi = _period(start, end)
    cases = PetitionCase.objects.all()
    open_cases = cases.exclude(matter__status__in=ENDED)
    closed = cases.filter(matter__status=Status.CLOSED, matter__closed_at__gte=lo, matter__closed_at__lt=hi)
    disputes = Dispute.objects.filter(raised_on__gte=start, raised_on__lte=end)
    by_focus = (
        cases.values("focus__name")
        .annotate(open=Count("pk", filter=~Q(matter__status__in=ENDED)))
        .order_by("focus__name")
    )
    return {
        "figures": [
            {"label": _("Backlog cases open"), "value": open_cases.count(), "unit": ""},
            {"label": _("Backlog cases closed in the period"), "value": closed.count(), "unit": ""},
            {"label": _("Disputes raised"), "value": disputes.count(), "unit": ""},
            {
                "label": _("Disputes resolved on the spot"),
                "value": disputes.filter(status=DisputeStatus.RESOLVED).count(),
                "unit": "",
            },
        ],
        "tables": [
            {
                "title": _("Open backlog cases by focus area"),
                "columns": [_("Focus area"), pgettext("petition cases not yet ended", "Open cases")],
                "rows": [[row["focus__name"], row["open"]] for row in by_focus if row["open"]],
            }
        ],
        "notes": [],
    }
