"""Accounts: the system administrator creates them, the security administrator grants roles (三权分立)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")
User = get_user_model()


def test_system_administrator_creates_an_account_linked_to_a_person_without_roles(client_as) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.get(name="陆露")
    response = client_as("sysadmin").post(
        "/accounts/new/", {"username": "lulu", "password": "a-Long-passphrase-2026", "person": person.pk}
    )
    assert response.status_code == 302
    user = User.objects.get(username="lulu")
    assert user.person == person
    assert not user.groups.exists()
    assert AuditEvent.objects.filter(action="accounts.create", target_id=str(user.pk)).exists()


def test_a_weak_password_is_refused_and_nothing_is_created(client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as("sysadmin").post("/accounts/new/", {"username": "weak", "password": "12345678"})
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()
    assert "密码" in response.content.decode()


def test_a_taken_username_is_refused(client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as("sysadmin").post(
        "/accounts/new/", {"username": "Leader", "password": "a-Long-passphrase-2026"}
    )
    assert response.status_code == 200
    assert User.objects.filter(username__iexact="leader").count() == 1


def test_security_administrator_grants_roles_and_it_is_audited(client_as) -> None:  # type: ignore[no-untyped-def]
    target = User.objects.get(username="cadre")
    response = client_as("secadmin").post(f"/security/{target.pk}/roles/", {"roles": ["cadre", "handler"]})
    assert response.status_code == 302
    assert sorted(target.groups.values_list("name", flat=True)) == ["cadre", "handler"]
    event = AuditEvent.objects.get(action="accounts.roles", actor_name="secadmin")
    assert event.before == {"roles": ["cadre"]} and event.after == {"roles": ["cadre", "handler"]}


def test_the_three_administrator_roles_cannot_be_combined(client_as) -> None:  # type: ignore[no-untyped-def]
    target = User.objects.get(username="sysadmin")
    response = client_as("secadmin").post(f"/security/{target.pk}/roles/", {"roles": ["sysadmin", "auditor"]})
    assert response.status_code == 200
    assert list(target.groups.values_list("name", flat=True)) == ["sysadmin"]


def test_nobody_changes_their_own_roles(client_as) -> None:  # type: ignore[no-untyped-def]
    me = User.objects.get(username="secadmin")
    response = client_as("secadmin").post(f"/security/{me.pk}/roles/", {"roles": ["secadmin", "coordinator"]})
    assert response.status_code == 200
    assert list(me.groups.values_list("name", flat=True)) == ["secadmin"]


def test_an_unknown_role_is_refused(client_as) -> None:  # type: ignore[no-untyped-def]
    target = User.objects.get(username="cadre")
    response = client_as("secadmin").post(f"/security/{target.pk}/roles/", {"roles": ["superuser"]})
    assert response.status_code == 200
    assert list(target.groups.values_list("name", flat=True)) == ["cadre"]


def test_deactivated_account_cannot_log_in(client_as) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    target = User.objects.get(username="cadre")
    client_as("sysadmin").post(f"/accounts/{target.pk}/toggle/")
    target.refresh_from_db()
    assert not target.is_active
    assert Client().post("/login/", {"username": "cadre", "password": "demo-pass-2026"}).status_code == 200
