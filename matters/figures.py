"""The headline rates of 12345 practice, overall and per responsible unit, for a period.

- response rate: matters accepted (or declined with a reason) by the end of their response window (set per
  category, see matters.deadlines.response_due), among the matters whose window has ended plus those answered
  earlier; matters still inside their window, unanswered, are counted apart as pending;
- resolution rate: matters completed (completed, verified or closed) among those taken on;
- public satisfaction rate (群众满意率): 满意 and 基本满意 among all the public's ratings of the period's completed
  matters (the portal's ratings, counted on the matter by matters.services.engagement);
- callback satisfaction rate (回访满意率): 满意 or 基本满意 among the completed matters the leader called back;
  either satisfaction rate is None below ``settings.FIGURES_MIN_RATINGS`` ratings (too few to mean anything);
- on-time completion rate: completed by the end of the deadline (a month deadline: its last day)
  among completed matters that had a deadline.
Each rate is None when its denominator is zero.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from matters.models import Matter, Satisfaction
from matters.selectors import overdue_q, parse_month
from matters.workflow import FINISHED, Status
from org.models import Unit, UnitKind


@dataclass(frozen=True)
class Rates:
    reported: int
    response: float | None
    resolution: float | None
    public_satisfaction: float | None
    callback_satisfaction: float | None
    on_time: float | None
    completed: int
    overdue_open: int
    response_due: int = 0  # the response rate's denominator: window ended, or answered within it
    response_pending: int = 0  # still inside their response window and not answered yet
    public_ratings: int = 0  # the public's ratings of the completed matters
    callbacks: int = 0  # the completed matters called back with a rating
    min_ratings: int = 1

    @property
    def public_too_few(self) -> bool:
        return self.public_ratings < self.min_ratings

    @property
    def callback_too_few(self) -> bool:
        return self.callbacks < self.min_ratings


def _ratio(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def period_matters(start: dt.date, end: dt.date) -> QuerySet[Matter]:
    """Matters reported from `start` to `end` inclusive (local dates), duplicates excluded."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return Matter.objects.filter(reported_at__gte=lo, reported_at__lt=hi).exclude(status=Status.MERGED)


def _satisfaction(part: int, whole: int) -> float | None:
    return _ratio(part, whole) if whole >= settings.FIGURES_MIN_RATINGS else None


def _counts(today: dt.date, now: dt.datetime, prefix: str = "") -> dict[str, Any]:
    """The counts every rate is made of, as aggregates over matters (or over rows pointing at matters)."""

    def q(**lookups: object) -> Q:
        return Q(**{prefix + k: v for k, v in lookups.items()})

    def total(*fields: str) -> Coalesce:
        finished = q(status__in=FINISHED)
        expression: Any = F(prefix + fields[0])
        for field in fields[1:]:
            expression = expression + F(prefix + field)
        return Coalesce(Sum(expression, filter=finished), 0)

    pk = prefix + "pk" if prefix else "pk"
    by_window = F(prefix + "respond_by")
    in_window = q(accepted_at__lte=by_window) | q(declined_at__lte=by_window)
    return {
        "reported": Count(pk),
        "responded": Count(pk, filter=in_window),
        "response_due": Count(pk, filter=q(respond_by__lte=now) | in_window),
        "taken_on": Count(pk, filter=~q(status__in=[Status.REPORTED, Status.DECLINED])),
        "finished": Count(pk, filter=q(status__in=FINISHED)),
        "rated": Count(pk, filter=q(status__in=FINISHED) & ~q(satisfaction="")),
        "satisfied": Count(
            pk, filter=q(status__in=FINISHED, satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])
        ),
        "public_ratings": total("rated_satisfied", "rated_basically", "rated_dissatisfied"),
        "public_satisfied": total("rated_satisfied", "rated_basically"),
        "overdue_open": Count(pk, filter=overdue_q(today, prefix)),
        "due_finished": Count(
            pk, filter=q(status__in=FINISHED, deadline_last_day__isnull=False, completed_on__isnull=False)
        ),
        "on_time": Count(pk, filter=q(status__in=FINISHED, completed_on__lte=F(prefix + "deadline_last_day"))),
    }


def _rates(c: dict[str, int]) -> Rates:
    return Rates(
        reported=c["reported"],
        response=_ratio(c["responded"], c["response_due"]),
        resolution=_ratio(c["finished"], c["taken_on"]),
        public_satisfaction=_satisfaction(c["public_satisfied"], c["public_ratings"]),
        callback_satisfaction=_satisfaction(c["satisfied"], c["rated"]),
        on_time=_ratio(c["on_time"], c["due_finished"]),
        completed=c["finished"],
        overdue_open=c["overdue_open"],
        response_due=c["response_due"],
        response_pending=c["reported"] - c["response_due"],
        public_ratings=c["public_ratings"],
        callbacks=c["rated"],
        min_ratings=settings.FIGURES_MIN_RATINGS,
    )


def _clock(today: dt.date | None, now: dt.datetime | None) -> tuple[dt.date, dt.datetime]:
    now = now or timezone.now()
    return today or timezone.localdate(now), now


def rates(qs: QuerySet[Matter], *, today: dt.date | None = None, now: dt.datetime | None = None) -> Rates:
    """The rates over `qs`, in one query (`now` decides which response windows have ended)."""
    today, now = _clock(today, now)
    return _rates(qs.aggregate(**_counts(today, now)))


def rates_by_unit(
    qs: QuerySet[Matter], *, today: dt.date | None = None, now: dt.datetime | None = None
) -> list[tuple[Unit, Rates]]:
    """The rates of each department, community and enterprise with matters in `qs`, in three queries.

    A matter counts for every unit responsible for it, and for every community when it concerns all
    communities (once, even if it also names the community).
    """
    today, now = _clock(today, now)
    link = Matter.units.through.objects.filter(matter__in=qs)
    per_unit = {row.pop("unit_id"): row for row in link.values("unit_id").annotate(**_counts(today, now, "matter__"))}
    everywhere = qs.filter(all_communities=True)
    extra = everywhere.aggregate(**_counts(today, now))
    if extra["reported"]:
        # Communities named by an all-communities matter would count it twice: take those out again.
        named = link.filter(matter__all_communities=True, unit__kind=UnitKind.COMMUNITY)
        twice = {row.pop("unit_id"): row for row in named.values("unit_id").annotate(**_counts(today, now, "matter__"))}
        for community in Unit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True):
            base = per_unit.get(community, dict.fromkeys(extra, 0))
            less = twice.get(community, {})
            per_unit[community] = {k: base[k] + extra[k] - less.get(k, 0) for k in extra}
    units = Unit.objects.filter(
        pk__in=[pk for pk, c in per_unit.items() if c["reported"]],
        kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNITY, UnitKind.ENTERPRISE],
    ).order_by("order", "name")
    return [(unit, _rates(per_unit[unit.pk])) for unit in units]


def period_from(params: Mapping[str, str], today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period a request asks for: ?month=YYYY-MM, or ?from=&to= (ISO dates); else this month so far."""
    today = today or timezone.localdate()
    month = parse_month(params.get("month", ""))
    if month is not None:
        nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        return month, nxt - dt.timedelta(days=1)
    try:
        start = dt.date.fromisoformat(params.get("from", ""))
        end = dt.date.fromisoformat(params.get("to", ""))
        if start <= end:
            return start, end
    except ValueError:
        pass
    return today.replace(day=1), today


def _plain(r: Rates) -> dict[str, Any]:
    values = asdict(r)
    values.pop("min_ratings")
    return values


def report(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The period's figures as plain data (the API's answer and the CSV's rows): overall and per unit."""
    qs = period_matters(start, end)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "min_ratings": settings.FIGURES_MIN_RATINGS,
        "overall": _plain(rates(qs)),
        "units": [{"unit": unit.name, "unit_id": unit.pk, **_plain(r)} for unit, r in rates_by_unit(qs)],
    }


def _csv_header() -> list[str]:
    return [
        _("Unit"),
        _("Reported"),
        _("Public satisfaction rate"),
        _("Public ratings"),
        _("Callback satisfaction rate"),
        _("Callbacks"),
        _("Response rate"),
        _("Response due"),
        _("Pending response"),
        _("Resolution rate"),
        _("On-time completion rate"),
        _("Completed"),
        _("Overdue now"),
    ]


def report_csv(data: dict[str, Any]) -> bytes:
    """The report as CSV (UTF-8 with BOM for office suites); an empty cell where a rate is not shown."""
    keys = ["reported", "public_satisfaction", "public_ratings", "callback_satisfaction", "callbacks", "response"]
    keys += ["response_due", "response_pending", "resolution", "on_time", "completed", "overdue_open"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_csv_header())
    for name, row in [(_("All units"), data["overall"]), *[(u["unit"], u) for u in data["units"]]]:
        writer.writerow([name, *("" if row[k] is None else row[k] for k in keys)])
    return b"\xef\xbb\xbf" + out.getvalue().encode()
