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

Working days follow the working-day calendar (core.workdays): Monday to Friday less the declared holidays, plus
the declared make-up working days (调休: a Saturday or Sunday worked in a holiday's place, e.g. Saturday 10 October
2026 after 国庆节). The days come from ``settings.HOLIDAYS`` / ``settings.WORKDAYS`` and the table of declared days,
which the coordination team keeps (page 工作日历, command ``calendar_days``) through the writes at the end of this
module. Every ``off=`` parameter takes the `Calendar` that `holidays()` reads once, so a long count is one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core import workdays
from core.exceptions import DomainError
from core.models import CalendarDay
from core.roles import Role
from core.workdays import Calendar, DeclaredDay
from matters.models import Category, DeadlineEvent, DeadlineEventKind, Matter, Urgency
from matters.selectors import overdue_q
from matters.services import lead_users, responsible_users
from notifications.services import excerpt, notify

CIRCULAR_AFTER_WORKING_DAYS = 5
# What an ``off=`` parameter takes: the calendar `holidays()` read, a bare set of holidays, or None (read it now).
Off = Calendar | frozenset[dt.date] | None


def holidays() -> Calendar:
    """The working-day calendar (declared holidays and make-up working days), read once for a call chain; a malformed
    date in the settings stops the caller loudly."""
    return workdays.calendar()


def is_working_day(day: dt.date, *, off: Off = None) -> bool:
    """A make-up working day, or Monday to Friday and not a holiday."""
    return workdays.as_calendar(off).is_working_day(day)


def add_working_days(day: dt.date, count: int, *, off: Off = None) -> dt.date:
    """Return the `count`-th working day after `day` (`day` itself does not count)."""
    calendar = workdays.as_calendar(off)
    current = day
    while count > 0:
        current += dt.timedelta(days=1)
        if calendar.is_working_day(current):
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


def response_due(reported_at: dt.datetime, category: Category | None, *, off: Off = None) -> dt.datetime:
    """The end of a matter's response window: the category's own hours, else one working day (or the handling
    limit, if that is shorter: an emergency must be answered within its two hours)."""
    if category is not None and category.response_hours:
        return reported_at + dt.timedelta(hours=category.response_hours)
    local = timezone.localtime(reported_at)
    day = add_working_days(local.date(), settings.RESPONSE_WORKING_DAYS, off=off)
    by_working_day = timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))
    return min(by_working_day, reported_at + handling_limit(category))


def chase_date(due_on: dt.date) -> dt.date:
    """The first day a matter due on `due_on` is overdue: the day it is chased."""
    return due_on + dt.timedelta(days=1)


def circular_date(due_on: dt.date, *, off: Off = None) -> dt.date:
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


# --- The working-day calendar's writes (the coordination team's page and the calendar_days command) ----------------


def _declared_check(day: DeclaredDay) -> None:
    if day.kind not in workdays.KINDS:
        raise DomainError(_("A declared day is a holiday or a make-up working day."), field="kind")
    if day.kind == workdays.WORKDAY and day.date.weekday() < 5:
        raise DomainError(
            _("%(date)s is a weekday: a make-up working day is a Saturday or a Sunday.")
            % {"date": day.date.isoformat()},
            field="date",
        )
    if len(day.name) > 60:
        raise DomainError(_("The name is too long (at most %(n)d characters).") % {"n": 60}, field="name")


def calendar_day_declare(*, actor: Any, date: dt.date, kind: str, name: str = "") -> CalendarDay:
    """Declare `date` a holiday or a make-up working day (replacing what was declared for it), audited."""
    day = DeclaredDay(date, kind, (name or "").strip())
    _declared_check(day)
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = {"kind": existing.kind, "name": existing.name} if existing is not None else None
        row = existing or CalendarDay(date=date)
        row.kind, row.name = day.kind, day.name
        row.full_clean()
        row.save()
        audit_record(
            actor=actor,
            action="core.calendar_day_declare",
            target=row,
            before=before,
            after={"date": date.isoformat(), "kind": row.kind, "name": row.name},
        )
        workdays.calendar_changed()
    return row


def calendar_day_remove(*, actor: Any, date: dt.date) -> None:
    """Take a declared day out of the calendar (it becomes an ordinary day again, or the settings' default)."""
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=date).first()
        if row is None:
            raise DomainError(_("%(date)s is not a declared day.") % {"date": date.isoformat()}, field="date")
        audit_record(
            actor=actor,
            action="core.calendar_day_remove",
            target=row,
            before={"date": date.isoformat(), "kind": row.kind, "name": row.name},
        )
        row.delete()
        workdays.calendar_changed()


def calendar_days_import(*, actor: Any, days: list[DeclaredDay]) -> int:
    """Declare every day of `days` (a year's notice) in one transaction; nothing is written if one is refused.
    Returns how many days were new or changed."""
    for day in days:
        _declared_check(day)
    changed = 0
    with transaction.atomic():
        current = {
            row.date: row for row in CalendarDay.objects.select_for_update().filter(date__in=[d.date for d in days])
        }
        for day in days:
            row = current.get(day.date)
            if row is not None and (row.kind, row.name) == (day.kind, day.name):
                continue
            calendar_day_declare(actor=actor, date=day.date, kind=day.kind, name=day.name)
            changed += 1
    return changed
