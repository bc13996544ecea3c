"""The one writer of a matter's status: every workflow step, under a row lock, checked against the table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.exceptions import DomainError, NotAllowed
from core.types import Actor
from core.uploads import CleanFile
from matters.access import user_capacities
from matters.models import Matter, Precision, ProgressReport, Satisfaction, Transition
from matters.models.matter import last_day
from matters.services.attachments import attachment_store
from matters.services.common import Conflict, InvalidTransition, acting_user, actor_name, require
from matters.services.notify import concerned_users, notify_after
from matters.workflow import TRANSITIONS, Action, Status
from org.models import Person, Unit, UnitKind


def matter_transition(
    *,
    matter: Matter | int,
    action: str,
    actor: Actor,
    reason: str = "",
    expected_status: str | None = None,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Matter:
    """Perform one workflow action under a row lock: check the table and the actor, change, record, audit, notify.

    `at` records an action that happened earlier (records brought in from paper or a spreadsheet, the demo);
    it may not precede the matter's last recorded step nor lie in the future. Pages and the API never pass it.
    """
    try:
        act = Action(action)
    except ValueError:
        raise InvalidTransition(_("Unknown action “%(action)s”.") % {"action": action}, field="action") from None
    rule = TRANSITIONS[act]
    pk = matter.pk if isinstance(matter, Matter) else matter
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Matter.objects.select_for_update().filter(pk=pk).first()
        if locked is None:
            raise DomainError(_("This matter does not exist."))
        if expected_status and locked.status != expected_status:
            raise Conflict(
                _("Someone else changed this matter first: it is now “%(status)s”. Reload and try again.")
                % {"status": locked.get_status_display()}
            )
        if locked.status not in rule.sources:
            allowed = "、".join(str(Status(s).label) for s in sorted(rule.sources))
            raise InvalidTransition(
                _("“%(action)s” is not possible while the matter is “%(status)s”; it needs: %(allowed)s.")
                % {"action": act.label, "status": locked.get_status_display(), "allowed": allowed}
            )
        spec = locked.kind_spec
        capacities = spec.capacities_for(act, rule.actors)
        if not (user_capacities(actor, locked) & capacities):
            who = "、".join(str(a.label) for a in sorted(capacities))
            raise NotAllowed(_("Only %(who)s may “%(action)s” this matter.") % {"who": who, "action": act.label})
        if rule.needs_reason and not reason:
            raise ValidationError({"reason": _("Give a reason.")})
        now = timezone.now()
        if at is not None:
            last = locked.transitions.order_by("-at").values_list("at", flat=True).first()
            if at > now or (last is not None and at < last):
                raise ValidationError({"at": _("A back-dated step must fall between the last step and now.")})
            now = at
        from_status = locked.status
        # A second assignment (改派): who was told already, so only those newly concerned are told now.
        told_before = concerned_users(locked) if act == Action.ASSIGN and from_status == Status.ASSIGNED else None
        data = _APPLY[act](locked, actor, now, reason, fields)
        if spec.before_transition is not None:
            data.update(spec.before_transition(locked, act, actor, fields) or {})
        locked.status = rule.target
        locked.full_clean()
        locked.save()
        Transition.objects.create(
            matter=locked,
            action=act,
            from_status=from_status,
            to_status=locked.status,
            actor=acting_user(actor),
            actor_name=actor_name(actor),
            at=now,
            reason=reason,
            data=data,
        )
        audit_record(
            actor=actor,
            action=f"matters.{act.value}",
            target=locked,
            before={"status": from_status},
            after={"status": locked.status, "reason": reason, **data},
        )
        if spec.after_transition is not None:
            spec.after_transition(locked, act, actor, fields)
        notify_after(act, locked, reason, told_before=told_before)
    return locked


def check_responsible_units(units: Sequence[Unit], all_communities: bool) -> None:
    """A task needs at least one responsible unit, or all communities (各社区); the same rule on every face."""
    if not units and not all_communities:
        raise ValidationError({"units": _("Choose at least one responsible unit, or all communities.")})


def check_deadline(deadline: Any, precision: str, today: dt.date) -> None:
    """A deadline already past is refused (a month deadline runs to the end of its month); the same on every face."""
    due = last_day(deadline, precision) if isinstance(deadline, dt.date) else None
    if due is not None and due < today:
        raise ValidationError(
            {
                "deadline": _("The deadline %(date)s has already passed: choose today (%(today)s) or a later date.")
                % {"date": due.isoformat(), "today": today.isoformat()}
            }
        )


def _apply_accept(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    m.accepted_at = now
    return {}


def _apply_decline(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    m.declined_at = now
    m.public_reply = reason
    return {}


def _apply_merge(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    into = f.get("into")
    require(into, "into", _("Choose the matter this one duplicates."))
    target = into if isinstance(into, Matter) else None
    if target is None and str(into).isdecimal() and len(str(into)) < 19:
        target = Matter.objects.filter(pk=int(str(into))).first()
    if target is None:
        raise ValidationError({"into": _("That matter does not exist.")})
    if target.pk == m.pk:
        raise ValidationError({"into": _("A matter cannot be merged into itself.")})
    if target.status in (Status.DECLINED, Status.MERGED):
        raise ValidationError({"into": _("Merge into a matter that is still followed, not a declined or merged one.")})
    m.merged_into = target
    m.public_reply = reason or _("Merged into %(code)s, which follows the same problem.") % {"code": target.code}
    return {"into": target.code}


def _apply_assign(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    task = (f.get("task") or "").strip()
    require(task, "task", _("Describe the task."))
    deadline = f.get("deadline")
    require(deadline, "deadline", _("Set a deadline."))
    precision = f.get("deadline_precision") or Precision.DAY
    # A list the park assigned earlier, brought in as it stands (the importer), may hold deadlines passed since.
    if not f.get("recorded"):
        check_deadline(deadline, precision, timezone.localdate(now))
    leads: Sequence[Person] = list(f.get("leads") or [])
    units: Sequence[Unit] = list(f.get("units") or [])
    all_communities = bool(f.get("all_communities"))
    check_responsible_units(units, all_communities)
    if any(p.pk is None for p in leads) or any(u.kind == UnitKind.WORK_TEAM for u in units):
        raise ValidationError({"units": _("Work teams cannot be responsible units.")})
    changes = (
        _reassign_changes(m, deadline, precision, leads, units, all_communities)
        if m.status == Status.ASSIGNED
        else None
    )
    m.task = task
    m.deadline = deadline
    m.deadline_precision = precision
    if "budget_yuan" in f:
        m.budget_yuan = f["budget_yuan"]
    m.all_communities = all_communities
    m.assigned_at = now
    m.save()
    m.leads.set(leads)
    m.units.set(units)
    data: dict[str, Any] = {
        "deadline": deadline.isoformat() if isinstance(deadline, dt.date) else str(deadline),
        "leads": [p.pk for p in leads],
        "units": [u.pk for u in units],
        "all_communities": all_communities,
    }
    if changes is not None:
        data["reassigned"] = changes
    return data


def _reassign_changes(
    m: Matter, deadline: Any, precision: str, leads: Sequence[Person], units: Sequence[Unit], all_communities: bool
) -> dict[str, Any]:
    """What a re-assignment (改派) changes, by name: units and leads added and removed, the deadline before and after."""
    changes: dict[str, Any] = {}
    for name, before, after in (
        ("units", list(m.units.all()), list(units)),
        ("leads", list(m.leads.all()), list(leads)),
    ):
        added = [x.name for x in after if x.pk not in {b.pk for b in before}]
        removed = [x.name for x in before if x.pk not in {a.pk for a in after}]
        if added or removed:
            changes[name] = {"added": added, "removed": removed}
    if m.all_communities != all_communities:
        changes["all_communities"] = {"before": m.all_communities, "after": all_communities}
    old_due, new_due = m.due_on, last_day(deadline, precision) if isinstance(deadline, dt.date) else None
    if (m.deadline, m.deadline_precision) != (deadline, precision):
        changes["deadline"] = {
            "before": old_due.isoformat() if old_due else "",
            "after": new_due.isoformat() if new_due else "",
        }
    return changes


def _apply_start(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    m.started_at = m.started_at or now
    return {}


def _apply_progress(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    text = (f.get("text") or "").strip()
    require(text, "text", _("Describe the progress."))
    percent = f.get("percent")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress is a whole number from 0 to 100.")})
    report = ProgressReport.objects.create(matter=m, author=acting_user(actor), at=now, text=text, percent=percent)
    files: Iterable[CleanFile] = f.get("files") or []
    names = []
    for clean in files:
        attachment_store(matter=m, report=report, clean=clean)
        names.append(clean.original_name)
    m.progress = percent
    return {"percent": percent, "text": text, "files": names}


def _apply_complete(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    effect = (f.get("effect") or "").strip()
    require(effect, "effect", _("Describe the effect achieved."))
    m.effect = effect
    m.progress = 100
    m.completed_at = now
    return {"effect": effect}


def _apply_verify(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    m.verified_at = now
    return {}


def _apply_return(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    m.completed_at = m.verified_at = m.closed_at = None
    m.satisfaction = ""
    m.redo_flagged_at = None  # the public ratings' call for redo is answered
    return {}


def _apply_close(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    satisfaction = f.get("satisfaction") or ""
    if satisfaction and satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose satisfied, basically satisfied or dissatisfied.")})
    m.satisfaction = satisfaction
    m.closed_at = now
    return {"satisfaction": satisfaction}


_APPLY = {
    Action.ACCEPT: _apply_accept,
    Action.DECLINE: _apply_decline,
    Action.MERGE: _apply_merge,
    Action.ASSIGN: _apply_assign,
    Action.START: _apply_start,
    Action.PROGRESS: _apply_progress,
    Action.COMPLETE: _apply_complete,
    Action.VERIFY: _apply_verify,
    Action.RETURN: _apply_return,
    Action.CLOSE: _apply_close,
}


def matters_bulk_assign(
    *, matters: Iterable[Matter], actor: Actor, **fields: Any
) -> tuple[list[Matter], list[tuple[Matter, str]]]:
    """Assign each matter with the same units, leads and deadline, keeping its own task (or its problem).

    Each matter is its own transition: one refused (wrong state, say) does not stop the others.
    Returns the assigned matters and the refused ones with the reason.
    """
    done: list[Matter] = []
    refused: list[tuple[Matter, str]] = []
    for matter in matters:
        try:
            done.append(
                matter_transition(
                    matter=matter, action=Action.ASSIGN, actor=actor, task=matter.task or matter.problem, **fields
                )
            )
        except DomainError as exc:
            refused.append((matter, exc.message))
        except ValidationError as exc:
            refused.append((matter, "; ".join(exc.messages)))
    return done, refused
