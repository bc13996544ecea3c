"""Every write of the monthly reviews: create, update, prepare (a background job), hold, decide, minutes, close.

A decision that acts on a matter does so through the matters app's own services (an assignment, a
re-assignment or a new deadline is `matter_transition`; a chase tells the handlers and leads as the deadline
tick does), in the same transaction as the decision: if the matter's service refuses, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from campaigns.models import Campaign
from core.exceptions import StateConflict
from core.jobs.models import Job
from core.types import Actor
from matters.models import Matter
from matters.services import lead_users, matter_transition, responsible_users
from matters.workflow import ENDED, UNFINISHED, Action, Status
from notifications.services import notify
from org.models import Person, Unit
from oversight.models.reviews import MATTER_KINDS, Decision, DecisionKind, Review, ReviewStatus
from oversight.selectors.reviews import minutes_draft, month_end, month_start

PREPARE_JOB = "oversight.review_prepare"
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.PREPARED, ReviewStatus.HELD)


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


def _refuse_status(review: Review, allowed: Sequence[str], message: str) -> None:
    if review.status not in allowed:
        raise StateConflict(message % {"status": review.get_status_display()})


def _check_month(campaign: Campaign, month: dt.date, *, review: Review | None = None) -> None:
    if month_end(month) < campaign.starts_on or month > campaign.ends_on:
        raise ValidationError(
            {"month": _("The month %(month)s is outside the campaign.") % {"month": f"{month:%Y-%m}"}}
        )
    taken = Review.objects.filter(campaign=campaign, month=month).exclude(status=ReviewStatus.CANCELLED)
    if review is not None:
        taken = taken.exclude(pk=review.pk)
    if taken.exists():
        raise ValidationError(
            {"month": _("The campaign already has a review of %(month)s.") % {"month": f"{month:%Y-%m}"}}
        )


def review_create(
    *,
    actor: Actor,
    campaign: Campaign,
    month: dt.date,
    agenda: str = "",
    chair: Person | None = None,
    attendees: Sequence[Person] = (),
    held_on: dt.date | None = None,
) -> Review:
    """Open the review of a month of the campaign; a second review of the same month is refused."""
    month = month_start(month)
    now = timezone.now()
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # one review of a month at a time
        _check_month(campaign, month)
        review = Review(
            campaign=campaign,
            month=month,
            agenda=(agenda or "").strip(),
            chair=chair,
            held_on=held_on,
            created_by=_user(actor),
            created_at=now,
            updated_at=now,
        )
        review.full_clean()
        try:
            with transaction.atomic():
                review.save()
        except IntegrityError:
            raise ValidationError({"month": _("The campaign already has a review of this month.")}) from None
        review.attendees.set(attendees)
        audit_record(
            actor=actor,
            action="oversight.review_create",
            target=review,
            after={"campaign": campaign.pk, "month": review.month_label, "chair": chair.pk if chair else None},
        )
    return review


def review_update(
    *,
    actor: Actor,
    review: Review,
    agenda: str | None = None,
    chair: Person | None = None,
    attendees: Sequence[Person] | None = None,
    held_on: dt.date | None = None,
) -> Review:
    """Change the agenda, the chair, the attendees or the date; a closed or cancelled review is kept as it is."""
    with transaction.atomic():
        locked = _locked(review)
        _refuse_status(locked, EDITABLE, _("A review that is “%(status)s” can no longer be changed."))
        before = {"agenda": locked.agenda, "chair": locked.chair_id, "held_on": str(locked.held_on or "")}
        if agenda is not None:
            locked.agenda = agenda.strip()
        if chair is not None:
            locked.chair = chair
        if held_on is not None:
            locked.held_on = held_on
        locked.updated_at = timezone.now()
        locked.full_clean()
        locked.save()
        if attendees is not None:
            locked.attendees.set(attendees)
        audit_record(
            actor=actor,
            action="oversight.review_update",
            target=locked,
            before=before,
            after={"agenda": locked.agenda, "chair": locked.chair_id, "held_on": str(locked.held_on or "")},
        )
    return locked


def review_prepare(*, actor: Actor, review: Review) -> Job:
    """Queue the preparation of the review (a background job with its progress); before the meeting only."""
    from core.jobs.services import job_start

    with transaction.atomic():
        locked = _locked(review)
        _refuse_status(
            locked,
            (ReviewStatus.DRAFT, ReviewStatus.PREPARED),
            _("A review that is “%(status)s” cannot be prepared again: its data are frozen."),
        )
        if locked.job is not None and not locked.job.finished:
            raise StateConflict(_("This review is being prepared already; wait for the job to finish."))
        title = _("Preparation of the review of %(month)s") % {"month": locked.month_label}
        job = job_start(owner=actor, kind=PREPARE_JOB, title=title, params={"review": locked.pk})
        locked.job = job
        locked.updated_at = timezone.now()
        locked.save(update_fields=["job", "updated_at"])
        audit_record(actor=actor, action="oversight.review_prepare", target=locked, after={"job": str(job.pk)})
    return job


def review_prepared(*, actor: Actor, review: Review, data: dict[str, Any]) -> Review:
    """Freeze the preparation's data into the review (the job's last step)."""
    with transaction.atomic():
        locked = _locked(review)
        _refuse_status(
            locked,
            (ReviewStatus.DRAFT, ReviewStatus.PREPARED),
            _("A review that is “%(status)s” cannot be prepared again: its data are frozen."),
        )
        now = timezone.now()
        locked.prepared = data
        locked.prepared_at = now
        locked.status = ReviewStatus.PREPARED
        locked.updated_at = now
        locked.full_clean()
        locked.save()
        counts = {kind: part.get("count") for kind, part in data.get("lists", {}).items()}
        audit_record(actor=actor, action="oversight.review_prepared", target=locked, after={"lists": counts})
    return locked


def review_hold(*, actor: Actor, review: Review, held_on: dt.date | None = None, chair: Person | None = None) -> Review:
    """Record that the prepared meeting took place; a meeting without a chair cannot be held."""
    with transaction.atomic():
        locked = _locked(review)
        if locked.status == ReviewStatus.DRAFT:
            raise StateConflict(_("Prepare the review before holding it."))
        _refuse_status(locked, (ReviewStatus.PREPARED,), _("A review that is “%(status)s” cannot be held again."))
        chair = chair or locked.chair
        if chair is None:
            raise ValidationError({"chair": _("A meeting without a chair cannot be held: choose its chair.")})
        held_on = held_on or locked.held_on or timezone.localdate()
        if held_on > timezone.localdate():
            raise ValidationError({"held_on": _("A meeting cannot be recorded as held on a future date.")})
        locked.chair, locked.held_on = chair, held_on
        locked.status = ReviewStatus.HELD
        locked.updated_at = timezone.now()
        if not locked.minutes:
            locked.minutes = minutes_draft(locked)
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="oversight.review_hold",
            target=locked,
            after={"held_on": held_on.isoformat(), "chair": chair.pk},
        )
    return locked


def review_cancel(*, actor: Actor, review: Review, reason: str) -> Review:
    """Call off a review not yet held (the month may then be reviewed anew)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    with transaction.atomic():
        locked = _locked(review)
        _refuse_status(
            locked, (ReviewStatus.DRAFT, ReviewStatus.PREPARED), _("A review that is “%(status)s” cannot be cancelled.")
        )
        before = locked.status
        locked.status = ReviewStatus.CANCELLED
        locked.updated_at = timezone.now()
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="oversight.review_cancel",
            target=locked,
            before={"status": before},
            after={"status": locked.status, "reason": reason},
        )
    return locked


def review_minutes_set(*, actor: Actor, review: Review, minutes: str) -> Review:
    """The coordination team's edit of the minutes, after the meeting and before it is closed."""
    with transaction.atomic():
        locked = _locked(review)
        _refuse_status(
            locked, (ReviewStatus.HELD,), _("The minutes of a review that is “%(status)s” cannot be edited.")
        )
        locked.minutes = (minutes or "").strip()
        locked.updated_at = timezone.now()
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor, action="oversight.review_minutes", target=locked, after={"length": len(locked.minutes)}
        )
    return locked


def review_close(*, actor: Actor, review: Review, minutes: str | None = None) -> Review:
    """Close a held review with its minutes (required); it is then kept as it is."""
    with transaction.atomic():
        locked = _locked(review)
        _refuse_status(locked, (ReviewStatus.HELD,), _("Only a held review can be closed; this one is “%(status)s”."))
        if minutes is not None:
            locked.minutes = minutes.strip()
        if not locked.minutes.strip():
            raise ValidationError({"minutes": _("Write the minutes before closing the review.")})
        now = timezone.now()
        locked.status = ReviewStatus.CLOSED
        locked.closed_at = locked.updated_at = now
        locked.full_clean()
        locked.save()
        audit_record(actor=actor, action="oversight.review_close", target=locked, after={"status": locked.status})
    return locked


# --- decisions -----------------------------------------------------------------------------------------------


def _matter_open(matter: Matter, kind: str) -> Matter:
    """The matter, locked; a closed (or otherwise ended) matter is refused by name, before its service is called."""
    locked = Matter.objects.select_for_update().get(pk=matter.pk)
    if locked.status in ENDED:
        raise StateConflict(
            _("Matter %(code)s is “%(status)s”: a review decision can no longer act on it.")
            % {"code": locked.code, "status": locked.get_status_display()},
            field="matter",
        )
    return locked


def _assign(
    m: Matter, *, actor: Actor, kind: str, reason: str, deadline: dt.date | None, leads: Any, units: Any, task: str
) -> dict[str, Any]:
    """An assignment, re-assignment or new deadline: the matters app's assign step (交办 / 改派)."""
    if kind == DecisionKind.ASSIGN and m.status != Status.ACCEPTED:
        raise StateConflict(
            _("Matter %(code)s is “%(status)s”: only an accepted matter can be assigned; re-assign it instead.")
            % {"code": m.code, "status": m.get_status_display()},
            field="matter",
        )
    if kind != DecisionKind.ASSIGN and m.status != Status.ASSIGNED:
        raise StateConflict(
            _(
                "Matter %(code)s is “%(status)s”: only an assigned matter not yet started can be re-assigned or given a new deadline here."
            )
            % {"code": m.code, "status": m.get_status_display()},
            field="matter",
        )
    if kind == DecisionKind.DEADLINE:
        if deadline is None:
            raise ValidationError({"deadline": _("Set the new deadline.")})
        leads, units = list(m.leads.all()), list(m.units.all())
    fields: dict[str, Any] = {
        "task": task or m.task or m.problem,
        "deadline": deadline or m.deadline,
        "deadline_precision": "day" if deadline else m.deadline_precision,
        "leads": list(leads) if leads is not None else list(m.leads.all()),
        "units": list(units) if units is not None else list(m.units.all()),
        "all_communities": m.all_communities if units is None else False,
    }
    done = matter_transition(matter=m, action=Action.ASSIGN, actor=actor, reason=reason, **fields)
    step = done.transitions.order_by("-at", "-id").first()
    return {
        "transition": step.pk if step else None,
        "label": _("%(code)s assigned, due %(due)s")
        % {"code": done.code, "due": done.due_on.isoformat() if done.due_on else "—"},
    }


def _chase(m: Matter, *, actor: Actor, review: Review, text: str) -> dict[str, Any]:
    """A chase (催办) ordered by the meeting: the handlers of the responsible units and the leads are told."""
    if m.status not in UNFINISHED:
        raise StateConflict(
            _("Matter %(code)s is “%(status)s”: only a matter still being worked on can be chased.")
            % {"code": m.code, "status": m.get_status_display()},
            field="matter",
        )
    values = {"code": m.code, "month": review.month_label}
    told = notify(
        recipients=[*responsible_users(m), *lead_users(m)],
        title=_("Chase: the review of %(month)s asks for %(code)s to be finished") % values,
        body=text,
        link=m.get_absolute_url(),
        subject=m,
    )
    audit_record(actor=actor, action="matters.chase", target=m, after={"review": review.pk, "told": told})
    return {"notified": told, "label": _("%(code)s chased: %(n)d told") % {**values, "n": told}}


def decision_add(
    *,
    actor: Actor,
    review: Review,
    kind: str,
    text: str,
    matter: Matter | None = None,
    deadline: dt.date | None = None,
    leads: Sequence[Person] | None = None,
    units: Sequence[Unit] | None = None,
    task: str = "",
) -> Decision:
    """Record a decision of the held meeting and do what it says to its matter, all or nothing."""
    text = (text or "").strip()
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Choose what the decision does.")})
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    if kind in MATTER_KINDS and matter is None:
        raise ValidationError({"matter": _("Choose the matter this decision acts on.")})
    with transaction.atomic():
        locked = _locked(review)
        _refuse_status(
            locked, (ReviewStatus.HELD,), _("Decisions are recorded for a held meeting; this review is “%(status)s”.")
        )
        effect: dict[str, Any] = {}
        if matter is not None:
            m = _matter_open(matter, kind) if kind in MATTER_KINDS else matter
            reason = _("Decision of the review of %(month)s: %(text)s") % {"month": locked.month_label, "text": text}
            if kind in (DecisionKind.ASSIGN, DecisionKind.REASSIGN, DecisionKind.DEADLINE):
                effect = _assign(
                    m,
                    actor=actor,
                    kind=kind,
                    reason=reason[:500],
                    deadline=deadline,
                    leads=leads,
                    units=units,
                    task=task,
                )
            elif kind == DecisionKind.CHASE:
                effect = _chase(m, actor=actor, review=locked, text=text)
        if kind == DecisionKind.CIRCULAR:
            effect = {"label": _("Circular ordered (to be issued)")}
        last = locked.decisions.order_by("-order").values_list("order", flat=True).first() or 0
        decision = Decision(
            review=locked,
            order=last + 1,
            kind=kind,
            text=text,
            matter=matter,
            effect=effect,
            created_by=_user(actor),
            created_at=timezone.now(),
        )
        decision.full_clean()
        decision.save()
        audit_record(
            actor=actor,
            action="oversight.decision_add",
            target=decision,
            after={"review": locked.pk, "kind": kind, "matter": matter.pk if matter else None, "effect": effect},
        )
    return decision


__all__ = [
    "PREPARE_JOB",
    "decision_add",
    "review_cancel",
    "review_close",
    "review_create",
    "review_hold",
    "review_minutes_set",
    "review_prepare",
    "review_prepared",
    "review_update",
]
