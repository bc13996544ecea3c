"""The enterprise service board (point 7): who served which enterprises this week and month, demands by type,
policies delivered and granted, enterprises nobody visited for N days. Each part is a table (headers and rows
of text) that the page draws as a chart and a table and that downloads as .xlsx (core.documents.xlsx)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _

from core.documents import xlsx
from enterprises.models import Delivery, DeliveryOutcome, Demand, DemandType, EnterpriseProfile, Match, Policy
from matters.selectors import overdue_q
from matters.workflow import FINISHED, UNFINISHED

NOT_VISITED_DAYS = 30


@dataclass
class BoardTable:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]


def _enterprise_visits(start: dt.date, end: dt.date) -> dict[int, tuple[str, set[int]]]:
    """person id → (name, enterprise unit ids visited) for enterprise visits from start to end."""
    from fieldwork.models import Visit

    units = set(EnterpriseProfile.objects.values_list("unit_id", flat=True))
    seen: dict[int, tuple[str, set[int]]] = {}
    rows = Visit.objects.filter(date__gte=start, date__lte=end).filter(
        Q(unit_id__in=units) | Q(contact_point__unit_id__in=units)
    )
    for person_id, name, unit_id, point_unit in rows.values_list(
        "person_id", "person__name", "unit_id", "contact_point__unit_id"
    ):
        seen.setdefault(person_id, (name, set()))[1].add(unit_id or point_unit)
    return seen


def served(today: dt.date) -> BoardTable:
    monday = today - dt.timedelta(days=today.weekday())
    week, month = _enterprise_visits(monday, today), _enterprise_visits(today.replace(day=1), today)
    rows = [
        [name or "—", str(len(week.get(pk, ("", set()))[1])), str(len(units))]
        for pk, (name, units) in sorted(month.items(), key=lambda item: (-len(item[1][1]), item[1][0]))
    ]
    return BoardTable("served", _("Enterprises served"), [_("Person"), _("This week"), _("This month")], rows)


def demands(today: dt.date) -> BoardTable:
    counts = (
        Demand.objects.values("demand_type")
        .annotate(
            open=Count("pk", filter=Q(matter__status__in=[*UNFINISHED, "reported"])),
            solved=Count("pk", filter=Q(matter__status__in=FINISHED)),
            overdue=Count("pk", filter=overdue_q(today, "matter__")),
        )
        .order_by()
    )
    by_type = {row["demand_type"]: row for row in counts}
    rows = []
    for value, label in DemandType.choices:
        row = by_type.get(value)
        if row:
            rows.append([str(label), str(row["open"]), str(row["solved"]), str(row["overdue"])])
    return BoardTable("demands", _("Demands by type"), [_("Demand type"), _("Open"), _("Solved"), _("Overdue")], rows)


def policies() -> BoardTable:
    qualifying = dict(
        Match.objects.filter(qualified=True).values_list("policy").annotate(n=Count("pk")).values_list("policy", "n")
    )
    delivered = {
        row["policy"]: row
        for row in Delivery.objects.values("policy")
        .annotate(
            informed=Count("enterprise", distinct=True),
            granted=Count("enterprise", distinct=True, filter=Q(outcome=DeliveryOutcome.GRANTED)),
            amount=Sum("amount", filter=Q(outcome=DeliveryOutcome.GRANTED)),
        )
        .order_by()
    }
    rows = []
    for policy in Policy.objects.order_by("-year", "title"):
        row = delivered.get(policy.pk, {})
        amount: Decimal = Decimal(row.get("amount") or 0).quantize(Decimal("0.01"))
        rows.append(
            [
                policy.title,
                str(qualifying.get(policy.pk, 0)),
                str(row.get("informed", 0)),
                str(row.get("granted", 0)),
                str(amount),
            ]
        )
    headers = [_("Policy"), _("Qualifying"), _("Delivered"), _("Granted"), _("Amount granted (10,000 yuan)")]
    return BoardTable("policies", _("Policies delivered and granted"), headers, rows)


def not_visited(today: dt.date, days: int = NOT_VISITED_DAYS) -> BoardTable:
    since = today - dt.timedelta(days=days)
    qs = (
        EnterpriseProfile.objects.select_related("unit", "contact_leader")
        .annotate(last=Max("unit__visits__date"), last_point=Max("unit__contact_points__visits__date"))
        .order_by("unit__name")
    )
    rows = []
    for profile in qs:
        last = max((d for d in (profile.last, profile.last_point) if d is not None), default=None)  # type: ignore[attr-defined]
        if last is None or last < since:
            rows.append(
                [profile.unit.name, str(profile.contact_leader or "—"), last.isoformat() if last else _("never")]
            )
    title = _("Enterprises nobody visited for %(days)d days") % {"days": days}
    return BoardTable("not_visited", title, [_("Enterprise"), _("contact leader"), _("Last visit")], rows)


def board(today: dt.date, days: int = NOT_VISITED_DAYS) -> list[BoardTable]:
    return [served(today), demands(today), policies(), not_visited(today, days)]


def table_xlsx(table: BoardTable) -> bytes:
    out = io.BytesIO()

    def styled():  # type: ignore[no-untyped-def]
        yield xlsx.TITLE, [table.title]
        yield xlsx.HEADER, table.headers
        for row in table.rows:
            yield xlsx.BODY, row

    xlsx.write(out, title=table.title, rows=styled(), widths=[30] + [14] * (len(table.headers) - 1), frozen_rows=2)
    return out.getvalue()
