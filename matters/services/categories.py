"""A category's time limits: its urgency and, if it departs from it, its own response and handling hours."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.types import Actor
from matters.models import Category, Urgency

UNCHANGED = object()


def category_limits_set(
    *,
    actor: Actor,
    category: Category,
    urgency: str | None = None,
    response_hours: int | object | None = UNCHANGED,
    handling_hours: int | object | None = UNCHANGED,
) -> Category:
    """Change what is given (None clears an hour limit back to the default); audited. Matters reported
    afterwards take the new limits (see matters.deadlines.response_due)."""
    changes: dict[str, object] = {}
    if urgency is not None:
        if urgency not in Urgency.values:
            raise ValidationError(_("Unknown urgency “%(value)s”.") % {"value": urgency[:20]})
        changes["urgency"] = urgency
    for name, value in (("response_hours", response_hours), ("handling_hours", handling_hours)):
        if value is UNCHANGED:
            continue
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 24 * 366):
            raise ValidationError(_("An hour limit is a whole number of hours from 1 to 8784."))
        changes[name] = value
    if not changes:
        return category
    with transaction.atomic():
        locked = Category.objects.select_for_update().get(pk=category.pk)
        before = {name: getattr(locked, name) for name in changes}
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes))
        audit_record(actor=actor, action="matters.category_limits", target=locked, before=before, after=changes)
    return locked
