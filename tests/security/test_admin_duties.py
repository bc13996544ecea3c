"""Separation of duties (三权分立): three administrators with disjoint work, none able to grant themselves a role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings

from accounts.capabilities import AccountCap
from audit.capabilities import AuditCap
from core.capabilities import CoreCap
from core.roles import Capability, Role, grants

if TYPE_CHECKING:
    pass
from tests.security.hardening_common import (
    ClientAs,
    User,
)

# --- separation of duties (三权分立) ---------------------------------------------------------------------------

ADMINS = {Role.SYSADMIN: "/accounts/", Role.SECADMIN: "/security/", Role.AUDITOR: "/audit/"}


def _caps(role: Role) -> set[Capability]:
    return {cap for cap, roles in grants().items() if role in roles and cap != CoreCap.WORKBENCH}


def test_the_three_administrators_share_no_capability_but_the_workbench() -> None:
    sysadmin, secadmin, auditor = (_caps(role) for role in ADMINS)
    assert AccountCap.MANAGE in sysadmin and AccountCap.ROLES_ASSIGN in secadmin and AuditCap.VIEW in auditor
    assert not sysadmin & secadmin and not sysadmin & auditor and not secadmin & auditor
    # Only the security administrator grants roles, only the auditor reads the log.
    assert grants()[AccountCap.ROLES_ASSIGN] == {Role.SECADMIN} and grants()[AuditCap.VIEW] == {Role.AUDITOR}


@pytest.mark.parametrize("admin", list(ADMINS), ids=[role.value for role in ADMINS])
def test_each_administrator_does_their_own_work_and_none_of_the_others(admin: Role, client_as: ClientAs) -> None:
    client = client_as(admin.value)
    for role, page in ADMINS.items():
        assert client.get(page).status_code == (200 if role == admin else 403), f"{admin} on {page}"


@pytest.mark.parametrize("admin", list(ADMINS), ids=[role.value for role in ADMINS])
def test_no_administrator_can_grant_themselves_a_role(admin: Role, client_as: ClientAs) -> None:
    me = User.objects.get(username=admin.value)
    for wanted in [*ADMINS, Role.COORDINATOR]:
        response = client_as(admin.value).post(f"/security/{me.pk}/roles/", {"roles": [admin.value, wanted.value]})
        assert response.status_code in (200, 403)  # the security administrator sees the refusal on the form
        assert list(me.groups.values_list("name", flat=True)) == [admin.value]


def test_the_system_administrator_creates_accounts_without_any_role_even_when_asked_for_one(
    client_as: ClientAs,
) -> None:
    client_as("sysadmin").post(
        "/accounts/new/", {"username": "newcomer", "password": "a-Long-passphrase-2026", "roles": ["auditor"]}
    )
    assert not User.objects.get(username="newcomer").groups.exists()


def test_no_account_is_a_django_superuser_or_staff_and_there_is_no_django_admin(demo: None) -> None:
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert not User.objects.filter(is_superuser=True).exists() and not User.objects.filter(is_staff=True).exists()


