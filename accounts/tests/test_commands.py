"""Command-line account bootstrap for a new deployment."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_create_account_makes_an_account_with_exactly_one_role(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIRST_PASSWORD", "Admin-passphrase-2026")
    call_command("create_account", "admin1", "--role", "sysadmin", "--password-env", "FIRST_PASSWORD")
    user = get_user_model().objects.get(username="admin1")
    assert user.check_password("Admin-passphrase-2026")
    assert list(user.groups.values_list("name", flat=True)) == ["sysadmin"]
    assert not user.is_superuser


def test_create_account_refuses_a_weak_password_and_creates_nothing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIRST_PASSWORD", "123")
    with pytest.raises(CommandError, match="password"):
        call_command("create_account", "admin1", "--role", "sysadmin", "--password-env", "FIRST_PASSWORD")
    assert not get_user_model().objects.filter(username="admin1").exists()
