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
from matters.selectors import overdue_q
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


def _counts(today: dt.date, prefix: str = "") -> dict[str, Count]:
    """The counts every rate is made of, as aggregates over matters (or over rows pointing at matters)."""

    def q(**lookups: object) -> Q:
        return Q(**{prefix + k: v for k, v in lookups.items()})

    window = settings.RESPONSE_HOURS * 3600
    pk = prefix + "pk" if prefix else "pk"
    return {
        "reported": Count(pk),
        "responded": Count(pk, filter=q(response_seconds__lte=window)),
        "taken_on": Count(pk, filter=~q(status__in=[Status.REPORTED, Status.DECLINED])),
        "finished": Count(pk, filter=q(status__in=FINISHED)),
        "rated": Count(pk, filter=~q(satisfaction="")),
        "satisfied": Count(pk, filter=q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        "overdue_open": Count(pk, filter=overdue_q(today, prefix)),
        "due_finished": Count(pk, filter=q(status__in=FINISHED, deadline_last_day__isnull=False, completed_on__isnull=False)),
        "on_time": Count(pk, filter=q(status__in=FINISHED, completed_on__lte=F(prefix + "deadline_last_day"))),
    }


def _rates(c: dict[str, int]) -> Rates:
    return Rates(
        reported=c["reported"],
        response=_ratio(c["responded"], c["reported"]),
        resolution=_ratio(c["finished"], c["taken_on"]),
        satisfaction=_ratio(c["satisfied"], c["rated"]),
        on_time=_ratio(c["on_time"], c["due_finished"]),
        completed=c["finished"],
        overdue_open=c["overdue_open"],
    )


def rates(qs: QuerySet[Matter], *, today: dt.date | None = None) -> Rates:
    """The rates over `qs`, in one query."""
    return _rates(qs.aggregate(**_counts(today or timezone.localdate())))


def rates_by_unit(qs: QuerySet[Matter], *, today: dt.date | None = None) -> list[tuple[Unit, Rates]]:
    """The rates of each department, community and enterprise with matters in `qs`, in three queries.

    A matter counts for every unit responsible for it, and for every community when it concerns all
    communities (once, even if it also names the community).
    """
    today = today or timezone.localdate()
    link = Matter.units.through.objects.filter(matter__in=qs)
    per_unit = {row.pop("unit_id"): row for row in link.values("unit_id").annotate(**_counts(today, "matter__"))}
    everywhere = qs.filter(all_communities=True)
    extra = everywhere.aggregate(**_counts(today))
    if extra["reported"]:
        # Communities named by an all-communities matter would count it twice: take those out again.
        named = link.filter(matter__all_communities=True, unit__kind=UnitKind.COMMUNITY)
        twice = {row.pop("unit_id"): row for row in named.values("unit_id").annotate(**_counts(today, "matter__"))}
        for community in Unit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True):
            base = per_unit.get(community, dict.fromkeys(extra, 0))
            less = twice.get(community, {})
            per_unit[community] = {k: base[k] + extra[k] - less.get(k, 0) for k in extra}
    units = Unit.objects.filter(
        pk__in=[pk for pk, c in per_unit.items() if c["reported"]],
        kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNITY, UnitKind.ENTERPRISE],
    ).order_by("order", "name")
    return [(unit, _rates(per_unit[unit.pk])) for unit in units]
