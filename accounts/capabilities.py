"""Separation of duties (三权分立): the system administrator runs accounts, the security administrator roles."""

from __future__ import annotations

from core.roles import Capability, Grants, Role


class AccountCap(Capability):
    MANAGE = "accounts.manage"
    ROLES_ASSIGN = "accounts.roles"


GRANTS: Grants = {
    AccountCap.MANAGE: frozenset({Role.SYSADMIN}),
    AccountCap.ROLES_ASSIGN: frozenset({Role.SECADMIN}),
}
