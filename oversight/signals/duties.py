"""Signals on the weekly duties and the contact points: short two weeks running; a point never visited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from fieldwork.duties import (
    CATEGORY_ROLES,
    DutyState,
    duty_grid,
    rows_short_text,
    week_ended,
    week_label,
    week_tuple,
    weeks_between,
)
from fieldwork.models import Visit
from org.models import ContactPoint, Person
from oversight.models.signals import SignalKind
from oversight.signals.base import Found, Thresholds, Window

K = SignalKind


def duty_shortfalls(window: Window, limits: Thresholds) -> Iterator[Found]:
    """People short of their weekly duties in N ended weeks running (fieldwork.duties decides short)."""
    weeks = [w for w in weeks_between(week_tuple(window.start), week_tuple(window.end)) if week_ended(*w, window.today)]
    if len(weeks) < limits.duty_weeks or limits.duty_weeks < 1:
        return
    people = list(Person.objects.filter(category__in=list(CATEGORY_ROLES)).order_by("pk"))
    grid = duty_grid(people, weeks)
    for person in people:
        runs: list[list[tuple[int, int]]] = [[]]
        for week in weeks:
            rows = grid.get((person.pk, week), [])
            if rows and any(r.state == DutyState.SHORT for r in rows):
                runs[-1].append(week)
            elif runs[-1]:
                runs.append([])
        for run in runs:
            if len(run) < limits.duty_weeks:
                continue
            labels = [week_label(*w) for w in run]
            yield Found(
                kind=K.DUTY_SHORTFALL,
                keys=(f"person:{person.pk}", f"from:{labels[0]}"),
                day=dt.date.fromisocalendar(run[-1][0], run[-1][1], 7),
                summary=_("%(person)s fell short of the weekly duties %(count)d weeks running (%(first)s to %(last)s)")
                % {"person": person.display_name, "count": len(run), "first": labels[0], "last": labels[-1]},
                evidence={
                    "records": [{"type": "person", "id": person.pk, "label": person.display_name, "url": ""}],
                    "compared": {
                        label: rows_short_text(grid[(person.pk, w)]) for label, w in zip(labels, run, strict=True)
                    },
                    "threshold": limits.duty_weeks,
                },
                person_id=person.pk,
            )


def points_unvisited(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Contact points assigned for a while within the period that their leader never visited in it."""
    points = list(
        ContactPoint.objects.select_related("leader", "unit")
        .filter(Q(since__isnull=True) | Q(since__lte=window.end))
        .order_by("pk")
    )
    visits = Visit.objects.filter(date__gte=window.start, date__lte=window.end)
    visited_points = set(visits.filter(contact_point__isnull=False).values_list("contact_point_id", flat=True))
    visited_units = set(visits.filter(unit__isnull=False).values_list("person_id", "unit_id"))
    last = min(window.end, window.today)
    for point in points:
        begins = max(window.start, point.since or window.start)
        if (last - begins).days < limits.point_grace_days:
            continue
        if point.pk in visited_points or (
            point.unit_id is not None and (point.leader_id, point.unit_id) in visited_units
        ):
            continue
        yield Found(
            kind=K.POINT_UNVISITED,
            keys=(f"contact_point:{point.pk}", f"from:{window.start:%Y-%m-%d}"),
            day=last,
            summary=_("%(leader)s has not visited the contact point %(point)s since %(since)s")
            % {"leader": point.leader.display_name, "point": point.target_label, "since": f"{begins:%Y-%m-%d}"},
            evidence={
                "records": [
                    {"type": "person", "id": point.leader_id, "label": point.leader.display_name, "url": ""},
                ],
                "compared": {"point": point.target_label, "from": begins.isoformat(), "to": last.isoformat()},
                "threshold": limits.point_grace_days,
            },
            person_id=point.leader_id,
            unit_id=point.unit_id,
        )
