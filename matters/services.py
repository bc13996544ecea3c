"""All writes to matters: creation, every workflow transition, extensions. Nothing else writes the status."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_list_view, audit_record
from core.exceptions import DomainError, NotAllowed, StateConflict
from core.roles import Role
from core.types import Actor
from matters.access import is_responsible_unit, user_capacities
from matters.evidence import CleanFile
from matters.kinds import LIVELIHOOD
from matters.models import (
    Attachment,
    Category,
    Channel,
    CodeCounter,
    Extension,
    ExtensionStatus,
    Matter,
    Precision,
    ProgressReport,
    Satisfaction,
    Transition,
)
from matters.workflow import TRANSITIONS, Action, Capacity, Status
from notifications.services import excerpt, notify
from org.models import Person, Unit, UnitKind


class InvalidTransition(StateConflict):
    """The action is not possible from the matter's current status."""


class Conflict(StateConflict):
    """Someone else changed the matter first."""


def _actor_name(actor: Actor) -> str:
    return actor.get_username() if actor is not None and actor.is_authenticated else "system"


def _user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _next_code(year: int) -> str:
    counter, _created = CodeCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"MQ-{year}-{counter.last:04d}"


TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(8))


def matter_create(
    *,
    actor: Actor,
    problem: str,
    kind: str = LIVELIHOOD,
    channel: str = Channel.API,
    category: Category | None = None,
    location: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_device_id: str = "",
    reporter_account_id: str = "",
    reporter_media_url: str = "",
    is_public: bool = True,
    campaign: Any = None,
    remarks: str = "",
    idempotency_key: str = "",
    import_key: str = "",
    reported_at: dt.datetime | None = None,
    kind_data: Mapping[str, Any] | None = None,
) -> tuple[Matter, bool]:
    """Register a reported matter; with an idempotency key, a repeat returns the first one. Returns (matter, created).

    `kind_data` is the data of the matter's kind (its spec's detail form checks it; see matters.kinds).

    The reporter's details (`reporter_*`, see matters.models.REPORTER_FIELDS) are private: never put them in
    `remarks`, which every role that sees the matter reads and the list exports write.
    """
    if idempotency_key:
        existing = Matter.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if campaign is None:
        from campaigns.selectors import campaign_current

        campaign = campaign_current()
    reported_at = reported_at or timezone.now()
    matter = Matter(
        code="pending",
        kind=kind,
        channel=channel,
        category=category,
        problem=problem.strip(),
        location=location.strip(),
        latitude=latitude,
        longitude=longitude,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_email=reporter_email.strip(),
        reporter_device_id=reporter_device_id.strip(),
        reporter_account_id=reporter_account_id.strip(),
        reporter_media_url=reporter_media_url.strip(),
        is_public=is_public,
        campaign=campaign,
        remarks=remarks,
        idempotency_key=idempotency_key,
        import_key=import_key,
        reported_at=reported_at,
        created_by=_user(actor),
    )
    # Field rules only, before the write lock is taken: the database enforces the constraints (a repeated
    # key raises IntegrityError below), and the campaign and author were not typed in.
    matter.full_clean(exclude=["code", "campaign", "created_by"], validate_constraints=False)
    spec = matter.kind_spec
    detail_form = spec.clean_detail(kind_data)
    coordinators = list(get_user_model().objects.filter(groups__name=Role.COORDINATOR))
    try:
        with transaction.atomic():
            matter.code = _next_code(timezone.localtime(reported_at).year)
            matter.tracking_code = new_tracking_code()
            matter.save()
            spec.create_detail(matter, detail_form, actor)
            Transition.objects.create(
                matter=matter,
                action="",
                from_status="",
                to_status=Status.REPORTED,
                actor=_user(actor),
                actor_name=_actor_name(actor),
                at=reported_at,
                data={"channel": channel},
            )
            audit_record(actor=actor, action="matters.create", target=matter, after=_public_snapshot(matter))
            notify(
                recipients=coordinators,
                title=_("New matter %(code)s") % {"code": matter.code},
                body=excerpt(matter.problem, 200),
                link=f"/matters/{matter.pk}/",
                subject=matter,
            )
    except (IntegrityError, ValidationError):
        # A concurrent request with the same idempotency key won the race: answer with its matter (the unique
        # index raised IntegrityError), whatever else was wrong with this copy of the request.
        if idempotency_key:
            existing = Matter.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False
        raise
    return matter, True


def _public_snapshot(matter: Matter) -> dict[str, Any]:
    """What the audit log keeps of a matter: none of the reporter's details."""
    return {
        "code": matter.code,
        "kind": matter.kind,
        "channel": matter.channel,
        "status": matter.status,
        "problem": matter.problem[:500],
        "deadline": matter.deadline.isoformat() if matter.deadline else None,
    }


def _require(value: Any, field: str, message: str) -> None:
    if value in (None, "", [], ()):
        raise ValidationError({field: message})


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
            actor=_user(actor),
            actor_name=_actor_name(actor),
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
        _notify_after(act, locked, reason)
    return locked


def _apply_accept(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    m.accepted_at = now
    return {}


def _apply_decline(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    m.declined_at = now
    m.public_reply = reason
    return {}


def _apply_merge(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    into = f.get("into")
    _require(into, "into", _("Choose the matter this one duplicates."))
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
    _require(task, "task", _("Describe the task."))
    deadline = f.get("deadline")
    _require(deadline, "deadline", _("Set a deadline."))
    precision = f.get("deadline_precision") or Precision.DAY
    leads: Sequence[Person] = list(f.get("leads") or [])
    units: Sequence[Unit] = list(f.get("units") or [])
    all_communities = bool(f.get("all_communities"))
    if not units and not all_communities:
        raise ValidationError({"units": _("Choose at least one responsible unit, or all communities.")})
    if any(p.pk is None for p in leads) or any(u.kind == UnitKind.WORK_TEAM for u in units):
        raise ValidationError({"units": _("Work teams cannot be responsible units.")})
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
    return {
        "deadline": deadline.isoformat() if isinstance(deadline, dt.date) else str(deadline),
        "leads": [p.pk for p in leads],
        "units": [u.pk for u in units],
        "all_communities": all_communities,
    }


def _apply_start(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    m.started_at = m.started_at or now
    return {}


def attachment_store(*, matter: Matter, report: ProgressReport | None, clean: CleanFile) -> Attachment:
    """Keep a checked file (see matters.evidence.clean_upload) as evidence of a matter, or of one of its reports."""
    attachment = Attachment(
        matter=matter,
        report=report,
        content_type=clean.content_type,
        size=len(clean.content),
        original_name=clean.original_name,
    )
    attachment.file.save(f"{matter.code}.{clean.extension}", ContentFile(clean.content), save=False)
    attachment.save()
    return attachment


def _apply_progress(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    text = (f.get("text") or "").strip()
    _require(text, "text", _("Describe the progress."))
    percent = f.get("percent")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress is a whole number from 0 to 100.")})
    report = ProgressReport.objects.create(matter=m, author=_user(actor), at=now, text=text, percent=percent)
    files: Iterable[CleanFile] = f.get("files") or []
    names = []
    for clean in files:
        attachment_store(matter=m, report=report, clean=clean)
        names.append(clean.original_name)
    m.progress = percent
    return {"percent": percent, "text": text, "files": names}


def _apply_complete(m: Matter, actor: Actor, now: dt.datetime, reason: str, f: dict[str, Any]) -> dict[str, Any]:
    effect = (f.get("effect") or "").strip()
    _require(effect, "effect", _("Describe the effect achieved."))
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


def responsible_users(matter: Matter) -> list[Any]:
    """Accounts of the handlers of the responsible units (handler or cadre role)."""
    people = Person.objects.filter(user__isnull=False, user__is_active=True).select_related("user", "unit")
    people = people.filter(user__groups__name__in=[Role.HANDLER, Role.CADRE]).distinct()
    return [p.user for p in people if is_responsible_unit(matter, p)]


def lead_users(matter: Matter) -> list[Any]:
    return [p.user for p in matter.leads.select_related("user") if p.user is not None]


def _notify_after(act: Action, m: Matter, reason: str) -> None:
    link = f"/matters/{m.pk}/"
    subject = {"code": m.code}
    if act == Action.ASSIGN:
        notify(
            recipients=[*responsible_users(m), *lead_users(m)],
            title=_("%(code)s was assigned to your unit") % subject,
            body=excerpt(m.task, 300),
            link=link,
            subject=m,
        )
    elif act == Action.COMPLETE:
        notify(
            recipients=lead_users(m),
            title=_("%(code)s is completed: please verify") % subject,
            body=excerpt(m.effect, 300),
            link=link,
            subject=m,
        )
    elif act == Action.RETURN:
        notify(
            recipients=responsible_users(m),
            title=_("%(code)s was returned for redo") % subject,
            body=reason,
            link=link,
            subject=m,
        )


def matter_site_location_set(
    *, matter: Matter, actor: Actor, latitude: Decimal | None, longitude: Decimal | None
) -> Matter:
    """Publish the work site's location as given (both None withdraws it).

    Until staff set it, the public sees the reporter's own coordinates only to about 100 m (matters.selectors.
    public_location); the coordination team or a handler of a responsible unit knows where the work is done.
    """
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if not user_capacities(actor, locked) & {Capacity.COORDINATOR, Capacity.HANDLER}:
            raise NotAllowed(
                _("Only the coordination team or a handler of a responsible unit may publish where the work is.")
            )
        if (latitude is None) != (longitude is None):
            raise ValidationError(_("Give both the latitude and the longitude, or neither to withdraw them."))
        before = _site_location(locked)
        locked.site_latitude, locked.site_longitude = latitude, longitude
        locked.full_clean()
        locked.save(update_fields=["site_latitude", "site_longitude", "updated_at"])
        audit_record(
            actor=actor,
            action="matters.site_location",
            target=locked,
            before=before,
            after=_site_location(locked),
            label=locked.code,
        )
    return locked


def _site_location(matter: Matter) -> dict[str, str | None]:
    return {
        "site_latitude": None if matter.site_latitude is None else str(matter.site_latitude),
        "site_longitude": None if matter.site_longitude is None else str(matter.site_longitude),
    }


def extension_request(*, matter: Matter, actor: Actor, new_deadline: dt.date, reason: str) -> Extension:
    """Ask, before the deadline, for a later one; a handler of a responsible unit asks, a lead decides."""
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if Capacity.HANDLER not in user_capacities(actor, locked):
            raise NotAllowed(_("Only a handler of a responsible unit may ask for more time."))
        due = locked.due_on
        today = timezone.localdate()
        if due is None or locked.status not in (Status.ASSIGNED, Status.IN_PROGRESS):
            raise InvalidTransition(_("Only assigned matters with a deadline can be extended."))
        if today > due:
            raise InvalidTransition(_("The deadline has passed: an extension must be asked for before it."))
        if new_deadline <= due:
            raise ValidationError({"new_deadline": _("The new deadline must be later than %(due)s.") % {"due": due}})
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason.")})
        if locked.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise InvalidTransition(_("An extension request for this matter is already waiting for a decision."))
        extension = Extension.objects.create(
            matter=locked,
            requested_by=_user(actor),
            requested_at=timezone.now(),
            old_deadline=due,
            new_deadline=new_deadline,
            reason=reason.strip(),
        )
        audit_record(
            actor=actor,
            action="matters.extension_request",
            target=locked,
            after={"old": due.isoformat(), "new": new_deadline.isoformat(), "reason": reason.strip()},
        )
        notify(
            recipients=lead_users(locked),
            title=_("%(code)s: more time requested") % {"code": locked.code},
            body=reason.strip(),
            link=f"/matters/{locked.pk}/",
            subject=locked,
        )
    return extension


def extension_decide(*, extension: Extension, actor: Actor, approve: bool) -> Extension:
    with transaction.atomic():
        locked = Extension.objects.select_for_update().select_related("matter").get(pk=extension.pk)
        matter = Matter.objects.select_for_update().get(pk=locked.matter_id)
        if Capacity.LEAD not in user_capacities(actor, matter):
            raise NotAllowed(_("Only a lead of the matter may decide on an extension."))
        if locked.status != ExtensionStatus.PENDING:
            raise InvalidTransition(_("This request was already decided."))
        if approve and matter.due_on != locked.old_deadline:
            raise InvalidTransition(
                _("The deadline changed after this request was made; the handler should ask again if still needed.")
            )
        locked.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        locked.decided_by = _user(actor)
        locked.decided_at = timezone.now()
        locked.save()
        if approve:
            before = matter.deadline
            matter.deadline, matter.deadline_precision = locked.new_deadline, Precision.DAY
            matter.save(update_fields=["deadline", "deadline_precision", "updated_at"])
            Transition.objects.create(
                matter=matter,
                action="",
                from_status=matter.status,
                to_status=matter.status,
                actor=_user(actor),
                actor_name=_actor_name(actor),
                at=locked.decided_at,
                reason=locked.reason,
                data={"extension": locked.new_deadline.isoformat(), "old_deadline": str(before)},
            )
        audit_record(
            actor=actor,
            action="matters.extension_" + ("approve" if approve else "reject"),
            target=matter,
            after={"new_deadline": locked.new_deadline.isoformat()},
        )
        granted = _("%(code)s: more time granted") if approve else _("%(code)s: more time refused")
        notify(
            recipients=[locked.requested_by],
            title=granted % {"code": matter.code},
            body=locked.new_deadline.isoformat(),
            link=f"/matters/{matter.pk}/",
            subject=matter,
        )
    return locked


def matters_listed(*, actor: Actor, action: str, shown: Sequence[tuple[Matter, Sequence[str]]]) -> int:
    """Record one event for a page of matters that showed a reader with the right to see them the phone or ID numbers
    people typed into these fields (everyone else reads them masked); `shown` pairs each matter with the fields the
    page showed unmasked. Returns how many matters were named."""
    from core.privacy import mask_numbers

    ids: list[int] = []
    fields: set[str] = set()
    for matter, names in shown:
        present = [name for name in names if (text := getattr(matter, name, "") or "") and mask_numbers(text) != text]
        if present:
            ids.append(matter.pk)
            fields.update(present)
    audit_list_view(actor=actor, action=action, model=Matter, ids=ids, fields=sorted(fields))
    return len(ids)
