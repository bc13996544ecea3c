"""Who may do what in the enterprise line. Contacts are staff-only: the coordination team and the leaders."""

from __future__ import annotations

from core.roles import WORK_ROLES, Capability, Grants, Role

R = Role


class EnterpriseCap(Capability):
    VIEW = "enterprises.view"  # profiles, matches, policies, deliveries
    EDIT = "enterprises.edit"  # create and update profiles
    VIEW_CONTACTS = "enterprises.view_contacts"  # the enterprises' contact people (private), each view audited
    POLICY_EDIT = "enterprises.policy_edit"  # the policy library
    DELIVER = "enterprises.deliver"  # record a policy's delivery


GRANTS: Grants = {
    EnterpriseCap.VIEW: WORK_ROLES,
    EnterpriseCap.EDIT: frozenset({R.COORDINATOR}),
    EnterpriseCap.VIEW_CONTACTS: frozenset({R.COORDINATOR, R.LEADER}),
    EnterpriseCap.POLICY_EDIT: frozenset({R.COORDINATOR}),
    EnterpriseCap.DELIVER: frozenset({R.COORDINATOR, R.LEADER, R.CADRE}),
}
