"""The capabilities of the core: the workbench and the administration of accounts and roles."""

from __future__ import annotations

from core.roles import ADMIN_ROLES, WORK_ROLES, Capability, Grants, Role


class CoreCap(Capability):
    WORKBENCH = "workbench"
    ACCOUNTS_MANAGE = "accounts.manage"
    ROLES_ASSIGN = "accounts.roles"


# Separation of duties (三权分立): the system administrator runs accounts (and the organisation, see org), the
# security administrator grants roles and lifts lockouts, the audit administrator reads the log (see audit).
GRANTS: Grants = {
    CoreCap.WORKBENCH: WORK_ROLES | ADMIN_ROLES,
    CoreCap.ACCOUNTS_MANAGE: frozenset({Role.SYSADMIN}),
    CoreCap.ROLES_ASSIGN: frozenset({Role.SECADMIN}),
}
