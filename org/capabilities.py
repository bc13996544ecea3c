"""Who sees and edits the organisation, and who may read a person's private phone."""

from __future__ import annotations

from core.roles import WORK_ROLES, Capability, Grants, Role


class OrgCap(Capability):
    VIEW = "org.view"
    EDIT = "org.edit"
    PHONE_VIEW = "org.phone_view"


GRANTS: Grants = {
    OrgCap.VIEW: WORK_ROLES | {Role.SYSADMIN},
    OrgCap.EDIT: frozenset({Role.COORDINATOR, Role.SYSADMIN}),
    OrgCap.PHONE_VIEW: frozenset({Role.COORDINATOR, Role.LEADER, Role.SUPERVISOR}),
}
