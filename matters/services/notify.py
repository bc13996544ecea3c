"""Who is told of a matter's steps, and what they are told (masked: messages leave the system)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

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


def notify_after(act: Action, m: Matter, reason: str, *, told_before: set[int] | None = None) -> None:
    """Tell those concerned of a step. On a re-assignment (told_before: who the matter concerned until now) only
    the accounts newly concerned are told, once; those who stay or leave are not."""
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
