"""Deadlines: working days, and the tick that chases (催办) and escalates (督办/通报) overdue matters.

Overdue is derived, never stored: a matter is overdue when its due date (the end of the month for a
month deadline) has passed and its work is unfinished. `deadlines_tick` records what that implies:

- a chase the day after the due date: the handlers of the responsible units and the leads are told;
- an escalation and circular five working days after the due date if the matter is still overdue:
  the coordination team and the conduct supervision team are told as well.

Each is a `DeadlineEvent`, unique per matter, kind and due date, so running the tick again records
nothing new, and a matter whose deadline moves gets new events only once the new date has passed.

Time limits per category: a category's urgency (emergency, water/power/gas/heating, general, complex) gives
its handling limit (``settings.HANDLING_LIMIT_HOURS``) unless the category sets its own; its response window
is its own hours, else one working day (``settings.RESPONSE_WORKING_DAYS``) or the handling limit if shorter.
`response_due` is stored on each matter as ``respond_by``, which the response rate reads.

Working days are Monday to Friday minus the ISO dates in ``settings.HOLIDAYS``. Chinese make-up
working days (调休: a Saturday or Sunday declared a working day) are out of scope: a weekend day is
never a working day here, so near such a weekend an escalation may come a day later than the
official calendar would put it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.roles import Role
from matters.models import Category, DeadlineEvent, DeadlineEventKind, Matter, Urgency
from matters.selectors import overdue_q
from matters.services import lead_users, responsible_users
from notifications.services import excerpt, notify

CIRCULAR_AFTER_WORKING_DAYS = 5


def holidays() -> frozenset[dt.date]:
    """The dates of ``settings.HOLIDAYS``; a malformed one stops the caller loudly."""
    days = set()
    for raw in settings.HOLIDAYS:
        try:
            days.add(dt.date.fromisoformat(str(raw).strip()))
        except ValueError:
            raise ImproperlyConfigured(f"HOLIDAYS: {raw!r} is not an ISO date (YYYY-MM-DD).") from None
    return frozenset(days)


def is_working_day(day: dt.date, *, off: frozenset[dt.date] | None = None) -> bool:
    """Monday to Friday and not a holiday (make-up working days on weekends are not modelled)."""
    off = holidays() if off is None else off
    return day.weekday() < 5 and day not in off


def add_working_days(day: dt.date, count: int, *, off: frozenset[dt.date] | None = None) -> dt.date:
    """Return the `count`-th working day after `day` (`day` itself does not count)."""
    off = holidays() if off is None else off
    current = day
    while count > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, off=off):
            count -= 1
    return current


def handling_limit(category: Category | None) -> dt.timedelta:
    """How long a matter of `category` may take: its own limit, else its urgency's (a matter without one: general)."""
    if category is not None and category.handling_hours:
        return dt.timedelta(hours=category.handling_hours)
    urgency = category.urgency if category is not None else Urgency.GENERAL
    return dt.timedelta(hours=settings.HANDLING_LIMIT_HOURS[urgency])


def suggested_deadline(category: Category | None, *, now: dt.datetime | None = None) -> dt.date:
    """The deadline an assignment starts from: the local day the category's handling limit ends, counted from now."""
    return timezone.localdate((now or timezone.now()) + handling_limit(category))


def response_due(reported_at: dt.datetime, category: Category | None) -> dt.datetime:
    """The end of a matter's response window: the category's own hours, else one working day (or the handling
    limit, if that is shorter: an emergency must be answered within its two hours)."""
    if category is not None and category.response_hours:
        return reported_at + dt.timedelta(hours=category.response_hours)
    local = timezone.localtime(reported_at)
    day = add_working_days(local.date(), settings.RESPONSE_WORKING_DAYS)
    by_working_day = timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))
    return min(by_working_day, reported_at + handling_limit(category))


def chase_date(due_on: dt.date) -> dt.date:
    """The first day a matter due on `due_on` is overdue: the day it is chased."""
    return due_on + dt.timedelta(days=1)


def circular_date(due_on: dt.date, *, off: frozenset[dt.date] | None = None) -> dt.date:
    """The day a matter still overdue is escalated: five working days after its due date."""
    return add_working_days(due_on, CIRCULAR_AFTER_WORKING_DAYS, off=off)


@dataclass
class TickResult:
    chases: int = 0
    circulars: int = 0


def deadlines_tick(*, now: dt.datetime | None = None) -> TickResult:
    """Record the chases and circulars due at `now`; running it again at the same moment records nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    off = holidays()
    overdue = Matter.objects.filter(overdue_q(today))
    # One read of what is already recorded, so a routine tick touches no row it has nothing to do for.
    done = set(DeadlineEvent.objects.filter(matter__in=overdue.values("pk")).values_list("matter_id", "kind", "due_on"))
    due_dates = [
        (matter.pk, matter.due_on)
        for matter in overdue.only("pk", "status", "deadline", "deadline_precision").order_by("pk")
    ]
    circular_days: dict[dt.date, dt.date] = {}
    result = TickResult()
    for pk, due_on in due_dates:
        assert due_on is not None  # overdue_q only selects matters with a deadline
        if (pk, DeadlineEventKind.CHASE, due_on) not in done and today >= chase_date(due_on):
            result.chases += _record(pk=pk, kind=DeadlineEventKind.CHASE, due_on=due_on, now=now)
        if due_on not in circular_days:
            circular_days[due_on] = circular_date(due_on, off=off)
        if (pk, DeadlineEventKind.CIRCULAR, due_on) not in done and today >= circular_days[due_on]:
            result.circulars += _record(pk=pk, kind=DeadlineEventKind.CIRCULAR, due_on=due_on, now=now)
    return result


def _record(*, pk: int, kind: DeadlineEventKind, due_on: dt.date, now: dt.datetime) -> bool:
    """Record one event with its audit entry and notifications; False if it exists or no longer applies."""
    today = timezone.localdate(now)
    with transaction.atomic():
        matter = Matter.objects.select_for_update().filter(pk=pk).first()
        # Re-check under the lock: the matter may have been completed or given a new deadline meanwhile.
        if matter is None or not matter.is_overdue(today) or matter.due_on != due_on:
            return False
        _event, created = DeadlineEvent.objects.get_or_create(
            matter=matter, kind=kind, due_on=due_on, defaults={"at": now}
        )
        if not created:  # another tick got here first
            return False
        audit_record(
            actor=None,
            action=f"matters.{kind.value}",
            target=matter,
            after={"due_on": due_on.isoformat(), "days_overdue": (today - due_on).days, "status": matter.status},
        )
        _notify(matter, kind, due_on)
    return True


def _notify(matter: Matter, kind: DeadlineEventKind, due_on: dt.date) -> None:
    values = {"code": matter.code, "due": due_on.isoformat(), "task": excerpt(matter.task, 300)}
    recipients: list[Any] = [*responsible_users(matter), *lead_users(matter)]
    if kind == DeadlineEventKind.CHASE:
        title = _("Chase: %(code)s is overdue") % values
        body = (
            _("The deadline was %(due)s and the work is not finished. Finish it or report progress.\n%(task)s") % values
        )
    else:
        title = _("Circular: %(code)s is still overdue five working days after its deadline") % values
        body = (
            _(
                "The deadline was %(due)s. The matter is escalated to the coordination team "
                "and the conduct supervision team.\n%(task)s"
            )
            % values
        )
        teams = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[Role.COORDINATOR, Role.SUPERVISOR])
            .distinct()
        )
        recipients += list(teams.order_by("pk"))
    notify(recipients=recipients, title=title, body=body, link=matter.get_absolute_url(), subject=matter)
