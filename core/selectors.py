"""Reads of accounts that are more than a `.get`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from core.roles import ADMIN_ROLES, Role, roles_mixed


def accounts_mixing_roles() -> list[tuple[Any, list[Role]]]:
    """Accounts that hold an administrator role together with another role, and those roles (三权分立 broken)."""
    found = []
    users = (
        get_user_model()
        .objects.filter(groups__name__in=[role.value for role in ADMIN_ROLES])
        .distinct()
        .order_by("username")
        .prefetch_related("groups")
    )
    for user in users:
        roles = {Role(g.name) for g in user.groups.all() if g.name in Role.values}
        if roles_mixed(roles):
            found.append((user, sorted(roles)))
    return found
