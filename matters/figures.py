"""The headline rates of 12345 practice, overall and per responsible unit, for a period.

- response rate: reported matters accepted (or declined with a reason) within RESPONSE_HOURS;
- resolution rate: matters completed (completed, verified or closed) among those taken on;
- satisfaction rate: 满意 or 基本满意 among the rated matters;
- on-time completion rate: completed by the end of the deadline (a month deadline: its last day)
  among completed matters that had a deadline.
Each rate is None when its denominator is zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from matters.models import Matter, Satisfaction
from matters.selectors import unit_q
from matters.workflow import FINISHED, Status
from org.models import Unit, UnitKind


@dataclass(frozen=True)
class Rates:
    reported: int
    response: float | None
    resolution: float | None
    satisfaction: float | None
    on_time: float | None
    completed: int
    overdue_open: int


def _ratio(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def period_matters(start: dt.date, end: dt.date) -> QuerySet[Matter]:
    """Matters reported from `start` to `end` inclusive (local dates), duplicates excluded."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return Matter.objects.filter(reported_at__gte=lo, reported_at__lt=hi).exclude(status=Status.MERGED)


def rates(qs: QuerySet[Matter], *, today: dt.date | None = None) -> Rates:
    from matters.selectors import overdue_q

    today = today or timezone.localdate()
    window = dt.timedelta(hours=settings.RESPONSE_HOURS)
    counts = qs.aggregate(
        reported=Count("pk"),
        responded=Count(
            "pk",
            filter=Q(accepted_at__lte=F("reported_at") + window) | Q(declined_at__lte=F("reported_at") + window),
        ),
        taken_on=Count("pk", filter=~Q(status__in=[Status.REPORTED, Status.DECLINED])),
        finished=Count("pk", filter=Q(status__in=FINISHED)),
        rated=Count("pk", filter=~Q(satisfaction="")),
        satisfied=Count("pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        overdue_open=Count("pk", filter=overdue_q(today)),
    )
    finished_with_deadline = qs.filter(status__in=FINISHED, deadline__isnull=False, completed_at__isnull=False)
    on_time = total = 0
    for matter in finished_with_deadline.only("deadline", "deadline_precision", "completed_at").iterator():
        total += 1
        due = matter.due_on
        if due is not None and matter.completed_at is not None and timezone.localdate(matter.completed_at) <= due:
            on_time += 1
    return Rates(
        reported=counts["reported"],
        response=_ratio(counts["responded"], counts["reported"]),
        resolution=_ratio(counts["finished"], counts["taken_on"]),
        satisfaction=_ratio(counts["satisfied"], counts["rated"]),
        on_time=_ratio(on_time, total),
        completed=counts["finished"],
        overdue_open=counts["overdue_open"],
    )


def rates_by_unit(qs: QuerySet[Matter], *, today: dt.date | None = None) -> list[tuple[Unit, Rates]]:
    units = Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNITY, UnitKind.ENTERPRISE])
    out = []
    for unit in units.order_by("order", "name"):
        unit_rates = rates(qs.filter(pk__in=Matter.objects.filter(unit_q(unit.pk)).values("pk")), today=today)
        if unit_rates.reported:
            out.append((unit, unit_rates))
    return out
