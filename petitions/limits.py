"""The case's time limits (信访工作条例): started and met by the case's steps, extended once, chased when overdue.

The matter's steps drive them (petitions.kind's hooks): the case is received (accept: 15 days), accepted (handle:
60 days, extendable once by at most 30 before they run out), its handling opinion issued on completion (a 30-day
window for a review request), a review asked and answered (30 days), a re-examination likewise. `limits_tick`
chases an overdue limit the day after its due date and escalates it five working days later, once each, as
matters.deadlines does for a matter's deadline; it runs with the matters' tick (petitions.tasks).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.roles import Role
from core.types import Actor
from matters.deadlines import chase_date, circular_date, holidays
from notifications.services import notify
from petitions.models import CaseLimit, LimitCode, LimitEvent, LimitEventKind, PetitionCase, TimeLimitRule


def limit_start(case: PetitionCase, code: str, starts_on: dt.date) -> CaseLimit:
    """Start one limit of the case on a day (once: starting it again on the same day returns it)."""
    rule = TimeLimitRule.objects.get(code=code)
    limit, _created = CaseLimit.objects.get_or_create(
        case=case, rule=rule, starts_on=starts_on, defaults={"due_on": starts_on + dt.timedelta(days=rule.days)}
    )
    return limit


def open_limit(case: PetitionCase, code: str) -> CaseLimit | None:
    return (
        case.limits.filter(rule__code=code, met_on__isnull=True).select_related("rule").order_by("-starts_on").first()
    )


def limit_meet(case: PetitionCase, code: str, on: dt.date) -> CaseLimit | None:
    limit = open_limit(case, code)
    if limit is not None:
        limit.met_on = max(on, limit.starts_on)
        limit.save(update_fields=["met_on"])
    return limit


def limit_extend(*, actor: Actor, case: PetitionCase, days: int, reason: str) -> CaseLimit:
    """Extend the handling limit once, by at most its rule's days, before it runs out, with the reason told."""
    reason = (reason or "").strip()
    limit = open_limit(case, LimitCode.HANDLE)
    if limit is None:
        raise ValidationError({"days": _("Only a petition being handled has a handling limit to extend.")})
    rule = limit.rule
    today = timezone.localdate()
    if limit.extended_days:
        raise ValidationError({"days": _("The handling limit has been extended once already; it may not be again.")})
    if today > limit.due_on:
        raise ValidationError(
            {
                "days": _("The handling limit ran out on %(due)s: an extension is asked before that.")
                % {"due": limit.due_on.isoformat()}
            }
        )
    if not 1 <= days <= rule.max_extension_days:
        raise ValidationError({"days": _("An extension is of 1 to %(max)s days.") % {"max": rule.max_extension_days}})
    if not reason:
        raise ValidationError({"reason": _("Give the reason of the extension, as it is told to the petitioner.")})
    with transaction.atomic():
        old = limit.due_on
        limit.due_on = old + dt.timedelta(days=days)
        limit.extended_days = days
        limit.extension_reason = reason
        limit.full_clean()
        limit.save(update_fields=["due_on", "extended_days", "extension_reason"])
        audit_record(
            actor=actor,
            action="petitions.limit_extend",
            target=case,
            before={"due_on": old.isoformat()},
            after={"due_on": limit.due_on.isoformat(), "days": days},
        )
    return limit


def _within(case: PetitionCase, window: str, on: dt.date, late: str) -> None:
    today = timezone.localdate()
    if on > today:
        raise ValidationError({"on": _("This date lies in the future.")})
    limit = open_limit(case, window)
    if limit is None:
        raise ValidationError({"on": _("This step is not open for this case now.")})
    if on < limit.starts_on:
        raise ValidationError({"on": _("This date comes before the step it answers.")})
    if on > limit.due_on:
        raise ValidationError({"on": late % {"due": limit.due_on.isoformat()}})


def review_step(*, actor: Actor, case: PetitionCase, step: str, on: dt.date) -> CaseLimit | None:
    """Record a review or re-examination asked (within its 30 days) or answered; each starts the next limit."""
    steps: dict[str, tuple[str, str | None, str]] = {
        "review_asked": (
            LimitCode.REVIEW_ASK,
            LimitCode.REVIEW,
            _("The 30 days to request a review ended on %(due)s."),
        ),
        "review_answered": (LimitCode.REVIEW, LimitCode.REEXAM_ASK, ""),
        "reexam_asked": (
            LimitCode.REEXAM_ASK,
            LimitCode.REEXAM,
            _("The 30 days to request a re-examination ended on %(due)s."),
        ),
        "reexam_answered": (LimitCode.REEXAM, None, ""),
    }
    if step not in steps:
        raise ValidationError({"step": _("Choose a step of the review.")})
    current, following, late = steps[step]
    if late:
        _within(case, current, on, late)
    elif open_limit(case, current) is None:
        raise ValidationError({"on": _("This step is not open for this case now.")})
    elif on > timezone.localdate():
        raise ValidationError({"on": _("This date lies in the future.")})
    with transaction.atomic():
        limit_meet(case, current, on)
        started = limit_start(case, following, on) if following else None
        if following is None:
            case.reexamined_on = on
            case.save(update_fields=["reexamined_on"])
        audit_record(actor=actor, action=f"petitions.{step}", target=case, after={"on": on.isoformat()})
    return started


# --- the hooks of the matter's steps ----------------------------------------------------------------------------


def on_step(case: PetitionCase, action: str, on: dt.date) -> None:
    """What a step of the case's matter does to its limits (called inside matter_transition)."""
    if action == "accept":
        limit_meet(case, LimitCode.ACCEPT, on)
        limit_start(case, LimitCode.HANDLE, on)
    elif action == "decline":
        limit_meet(case, LimitCode.ACCEPT, on)
    elif action == "complete":
        limit_meet(case, LimitCode.HANDLE, on)
        limit_start(case, LimitCode.REVIEW_ASK, on)


# --- chasing ------------------------------------------------------------------------------------------------------


def limits_tick(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Record the chases and escalations of overdue case limits; running it again records nothing. (chases, circulars)"""
    now = now or timezone.now()
    today = timezone.localdate(now)
    off = holidays()
    overdue = CaseLimit.objects.filter(met_on__isnull=True, rule__chased=True, due_on__lt=today).select_related(
        "rule", "case__matter"
    )
    done = set(LimitEvent.objects.filter(limit__in=overdue).values_list("limit_id", "kind", "due_on"))
    chases = circulars = 0
    for limit in overdue.order_by("pk"):
        if (limit.pk, LimitEventKind.CHASE, limit.due_on) not in done and today >= chase_date(limit.due_on):
            chases += _record(limit, LimitEventKind.CHASE, now)
        if (limit.pk, LimitEventKind.CIRCULAR, limit.due_on) not in done and today >= circular_date(
            limit.due_on, off=off
        ):
            circulars += _record(limit, LimitEventKind.CIRCULAR, now)
    return chases, circulars


def case_users(case: PetitionCase) -> list[Any]:
    """The owning leaders' and the handling units' handlers' accounts."""
    users = get_user_model().objects.filter(is_active=True)
    owners = users.filter(person__in=case.owners.all())
    handlers = users.filter(person__unit__in=case.handling_units.all(), groups__name=Role.HANDLER)
    return list((owners | handlers).distinct().order_by("pk"))


def _record(limit: CaseLimit, kind: LimitEventKind, now: dt.datetime) -> bool:
    with transaction.atomic():
        _event, created = LimitEvent.objects.get_or_create(
            limit=limit, kind=kind, due_on=limit.due_on, defaults={"at": now}
        )
        if not created:
            return False
        case = limit.case
        values = {"case": case.case_number, "limit": limit.rule.get_code_display(), "due": limit.due_on.isoformat()}
        audit_record(
            actor=None,
            action=f"petitions.limit_{kind.value}",
            target=case,
            after={"limit": limit.rule.code, "due_on": limit.due_on.isoformat()},
        )
        recipients = case_users(case)
        if kind == LimitEventKind.CHASE:
            title = _("Chase: %(case)s, “%(limit)s” was due on %(due)s") % values
        else:
            title = _("Circular: %(case)s, “%(limit)s” is five working days overdue (due %(due)s)") % values
            teams = get_user_model().objects.filter(
                is_active=True, groups__name__in=[Role.COORDINATOR, Role.SUPERVISOR]
            )
            recipients += list(teams.distinct().order_by("pk"))
        notify(recipients=recipients, title=title, body=title, link=f"/petitions/{case.pk}/", subject=case)
    return True
