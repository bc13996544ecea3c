"""Roles are Django groups named by these codes; capabilities say what each role may do.

The roles are the organisation's and fixed here. Capabilities belong to the apps: each app declares its own
(a `Capability` enum in `<app>/capabilities.py`) and which roles hold them (its `GRANTS`), and names them in its
plugin (`<app>/plugin.py`); `grants()` collects every app's table.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    CADRE = "cadre", _("Cadre")
    HANDLER = "handler", _("Unit handler")
    LEADER = "leader", _("Leader")
    COORDINATOR = "coordinator", _("Coordination team")
    ASSESSOR = "assessor", _("Assessment team")
    SUPERVISOR = "supervisor", _("Conduct supervision team")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


class Capability(StrEnum):
    """A capability: one thing a role may do. Views check capabilities, never role names.

    Each app subclasses this with its own members (`class MatterCap(Capability): VIEW = "matters.view"`); the
    value, `<app>.<what>`, is unique across the house and is what templates test (`'matters.view' in user_caps`).
    """


Grants = Mapping[Capability, frozenset[Role]]

R = Role
WORK_ROLES = frozenset({R.CADRE, R.HANDLER, R.LEADER, R.COORDINATOR, R.ASSESSOR, R.SUPERVISOR})
ADMIN_ROLES = frozenset({R.SYSADMIN, R.SECADMIN, R.AUDITOR})
# The teams and leaders that see every unit's work (the unit-scoped roles see their own units').
OVERSIGHT_ROLES = frozenset({R.COORDINATOR, R.LEADER, R.ASSESSOR, R.SUPERVISOR})


def roles_mixed(roles: frozenset[Role] | set[Role]) -> bool:
    """Whether these roles break the separation of duties (三权分立): an administrator role with any other role.

    accounts.services.account_set_roles refuses it, and so does a database trigger on auth_user_groups (core
    migration 0003).
    """
    return bool(roles & ADMIN_ROLES) and len(roles) > 1


def grants() -> Grants:
    """Every capability of every installed app, with the roles holding it."""
    from core.plugins import all_grants

    return all_grants()


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """Return the roles of a user (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_minqing_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        cached = frozenset(role for role in Role if role.value in names)
        if roles_mixed(cached):
            # Held since before the rule, or written behind the application's back: until the security administrator
            # sorts it out (manage.py check_roles and the roles page list it), the account keeps its administrator
            # duty and none of the business data; two administrator duties in one account keep neither.
            admin = cached & ADMIN_ROLES
            cached = admin if len(admin) == 1 else frozenset()
        user._minqing_roles = cached  # type: ignore[union-attr,attr-defined]
    return cached


def user_can(user: AbstractBaseUser | AnonymousUser, cap: Capability) -> bool:
    return bool(user_roles(user) & grants()[cap])


def user_caps(user: AbstractBaseUser | AnonymousUser) -> frozenset[Capability]:
    roles = user_roles(user)
    return frozenset(cap for cap, granted in grants().items() if roles & granted)
