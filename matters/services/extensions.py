"""More time: asked before the deadline by a handler of a responsible unit, decided by a lead."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.exceptions import NotAllowed
from core.types import Actor
from matters.access import user_capacities
from matters.models import Extension, ExtensionStatus, Matter, Precision, Transition
from matters.services.common import InvalidTransition, acting_user, actor_name
from matters.services.notify import lead_users
from matters.workflow import Capacity, Status
from notifications.services import notify


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
            requested_by=acting_user(actor),
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
            link=locked.get_absolute_url(),
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
        locked.decided_by = acting_user(actor)
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
                actor=acting_user(actor),
                actor_name=actor_name(actor),
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
            link=matter.get_absolute_url(),
            subject=matter,
        )
    return locked
