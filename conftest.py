"""Shared fixtures: the seed's demo data and one logged-in client per persona."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from core.roles import Role

# The demo accounts double as the named personas of the test suite.
PERSONAS = ["cadre", "handler", "leader", "coordinator", "assessor", "supervisor", "sysadmin", "secadmin", "auditor"]


@pytest.fixture
def demo(db: None) -> None:
    """The seed's organisation, campaign (2022 dates) and demo accounts; no matters, so tests start clean."""
    call_command("load_demo", shift_months=0, without_matters=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def resident(db: None):  # type: ignore[no-untyped-def]
    """A phone-verified resident account: no back-office access."""
    user = get_user_model().objects.create_user("resident", password="resident-pass-2026")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=Role.RESIDENT))
    return user


@pytest.fixture
def outsider(db: None):  # type: ignore[no-untyped-def]
    """An account with no role at all."""
    return get_user_model().objects.create_user("outsider", password="outsider-pass-2026")


@pytest.fixture
def client_as(demo: None, resident, outsider) -> Callable[[str | None], Client]:  # type: ignore[no-untyped-def]
    """`client_as("coordinator")` gives a client logged in as that persona; None gives an anonymous one."""

    def make(username: str | None) -> Client:
        client = Client()
        if username is not None:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return make
