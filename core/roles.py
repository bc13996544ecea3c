"""Roles are Django groups named by these codes; capabilities say what each role may do."""

from __future__ import annotations

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


class Cap(StrEnum):
    """A capability: one thing a role may do. Views check capabilities, never role names."""

    WORKBENCH = "workbench"
    ORG_VIEW = "org.view"
    ORG_EDIT = "org.edit"
    PHONE_VIEW = "org.phone_view"
    CAMPAIGN_VIEW = "campaign.view"
    CAMPAIGN_EDIT = "campaign.edit"
    ACCOUNTS_MANAGE = "accounts.manage"
    ROLES_ASSIGN = "accounts.roles"
    AUDIT_VIEW = "audit.view"
    MATTER_VIEW = "matters.view"
    MATTER_CREATE = "matters.create"
    MATTER_TRIAGE = "matters.triage"
    LISTS_VIEW = "matters.lists"
    LISTS_IMPORT = "matters.import"
    FIGURES_VIEW = "matters.figures"
    REPORTER_VIEW = "matters.reporter"
    VISIT_LOG = "fieldwork.log"
    VISITS_ALL = "fieldwork.all"
    VISITS_IMPORT = "fieldwork.import"
    DUTY_GRID = "fieldwork.grid"
    REGISTRATIONS_VIEW = "fieldwork.registrations"


R = Role
_WORK_ROLES = {R.CADRE, R.HANDLER, R.LEADER, R.COORDINATOR, R.ASSESSOR, R.SUPERVISOR}
_ADMIN_ROLES = {R.SYSADMIN, R.SECADMIN, R.AUDITOR}
# Separation of duties (三权分立): an account with one of the three administrator roles holds no other role, neither
# another administrator's nor any work role (the resident's included). core.services.account_set_roles refuses it,
# and so does a database trigger on auth_user_groups (core migration 0003).
ADMIN_ROLES: frozenset[Role] = frozenset(_ADMIN_ROLES)
WORK_ROLES: frozenset[Role] = frozenset(set(Role) - _ADMIN_ROLES)


def roles_mixed(roles: frozenset[Role] | set[Role]) -> bool:
    """Whether these roles break the separation of duties: an administrator role together with any other role."""
    return bool(roles & ADMIN_ROLES) and len(roles) > 1


# Separation of duties (三权分立): the system administrator runs accounts and the organisation,
# the security administrator grants roles and lifts lockouts, the audit administrator reads the log.
GRANTS: dict[Cap, frozenset[Role]] = {
    Cap.WORKBENCH: frozenset(_WORK_ROLES | _ADMIN_ROLES),
    Cap.ORG_VIEW: frozenset(_WORK_ROLES | {R.SYSADMIN}),
    Cap.ORG_EDIT: frozenset({R.COORDINATOR, R.SYSADMIN}),
    Cap.PHONE_VIEW: frozenset({R.COORDINATOR, R.LEADER, R.SUPERVISOR}),
    Cap.CAMPAIGN_VIEW: frozenset(_WORK_ROLES),
    Cap.CAMPAIGN_EDIT: frozenset({R.COORDINATOR}),
    Cap.ACCOUNTS_MANAGE: frozenset({R.SYSADMIN}),
    Cap.ROLES_ASSIGN: frozenset({R.SECADMIN}),
    Cap.AUDIT_VIEW: frozenset({R.AUDITOR}),
    # Matters: every working role sees matters (unit-scoped roles only their units'; see matters.access).
    Cap.MATTER_VIEW: frozenset(_WORK_ROLES),
    Cap.MATTER_CREATE: frozenset(_WORK_ROLES),
    Cap.MATTER_TRIAGE: frozenset({R.COORDINATOR}),
    Cap.LISTS_VIEW: frozenset({R.COORDINATOR, R.LEADER, R.ASSESSOR, R.SUPERVISOR}),
    Cap.LISTS_IMPORT: frozenset({R.COORDINATOR}),
    Cap.FIGURES_VIEW: frozenset({R.COORDINATOR, R.LEADER, R.ASSESSOR, R.SUPERVISOR}),
    Cap.REPORTER_VIEW: frozenset({R.COORDINATOR, R.SUPERVISOR}),
    # Field work: everyone at work logs their own visits and sees their own week; the coordination and
    # assessment teams (and conduct supervision) see everyone's; handlers of a community see who registered there.
    Cap.VISIT_LOG: frozenset(_WORK_ROLES),
    Cap.VISITS_ALL: frozenset({R.COORDINATOR, R.ASSESSOR, R.SUPERVISOR}),
    Cap.VISITS_IMPORT: frozenset({R.COORDINATOR}),
    Cap.DUTY_GRID: frozenset({R.COORDINATOR, R.ASSESSOR, R.SUPERVISOR}),
    Cap.REGISTRATIONS_VIEW: frozenset({R.COORDINATOR, R.HANDLER, R.ASSESSOR, R.SUPERVISOR}),
}


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


def user_can(user: AbstractBaseUser | AnonymousUser, cap: Cap) -> bool:
    return bool(user_roles(user) & GRANTS[cap])


def user_caps(user: AbstractBaseUser | AnonymousUser) -> frozenset[Cap]:
    roles = user_roles(user)
    return frozenset(cap for cap, granted in GRANTS.items() if roles & granted)
