"""The core's one capability: a workbench, which every working role and every administrator has."""

from __future__ import annotations

from core.roles import ADMIN_ROLES, WORK_ROLES, Capability, Grants


class CoreCap(Capability):
    WORKBENCH = "workbench"


# The administrators' own capabilities are each in the app of their duty: accounts (the system administrator),
# roles (the security administrator, both in accounts), the audit log (the audit administrator, in audit).
GRANTS: Grants = {CoreCap.WORKBENCH: WORK_ROLES | ADMIN_ROLES}
