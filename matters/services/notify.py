"""Who is told of a matter's steps, and what they are told (masked: messages leave the system)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.plugins import extensions
from core.roles import Role
from matters.access import is_responsible_unit
from matters.models import Matter
from matters.workflow import Action
from notifications.services import excerpt, notify
from org.models import Person


def responsible_users(matter: Matter) -> list[Any]:
    """Accounts of the handlers of the responsible units (handler or cadre role)."""
    people = Person.objects.filter(user__isnull=False, user__is_active=True).select_related("user", "unit")
    people = people.filter(user__groups__name__in=[Role.HANDLER, Role.CADRE]).distinct()
    return [p.user for p in people if is_responsible_unit(matter, p)]


def lead_users(matter: Matter) -> list[Any]:
    return [p.user for p in matter.leads.select_related("user") if p.user is not None]


def concerned_users(matter: Matter) -> set[int]:
    """The ids of the accounts an assignment of the matter concerns: its units' handlers and its leads."""
    return {u.pk for u in [*responsible_users(matter), *lead_users(matter)]}


# The extension point "matters.step": apps above matters (the portal's text messages to the reporter) are told of
# every workflow step once it is committed. matters names no app: they declare
# `Plugin(extensions={"matters.step": [StepListener(...)]})`.
STEP_POINT = "matters.step"


@dataclass(frozen=True)
class StepListener:
    """Told of each committed step: `after_step(matter_id, action)`. It runs after the commit, so it never sees a step
    rolled back, and a failure there (an SMS gateway down) cannot undo the step: it handles its own errors."""

    key: str
    after_step: Callable[[int, Action], None]


def _tell_listeners(act: Action, m: Matter) -> None:
    for listener in extensions(STEP_POINT):
        transaction.on_commit(partial(listener.after_step, m.pk, act))


def notify_after(act: Action, m: Matter, reason: str, *, told_before: set[int] | None = None) -> None:
    """Tell those concerned of a step, and the apps listening at "matters.step". On a re-assignment (told_before:
    who the matter concerned until now) only the accounts newly concerned are told, once."""
    _tell_listeners(act, m)
    link = m.get_absolute_url()
    subject = {"code": m.code}
    if act == Action.ASSIGN:
        recipients = [u for u in [*responsible_users(m), *lead_users(m)] if u.pk not in (told_before or set())]
        if not recipients:
            return
        title = (
            _("%(code)s was reassigned to your unit")
            if told_before is not None
            else _("%(code)s was assigned to your unit")
        )
        notify(
            recipients=recipients,
            title=title % subject,
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
