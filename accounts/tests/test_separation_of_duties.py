"""三权分立 reaches the work roles: an administrator holds no other role, through any face, down to the database."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from accounts.services import account_set_roles
from audit.models import AuditEvent
from core.exceptions import DomainError
from core.roles import ADMIN_ROLES, WORK_ROLES, Role, user_can, user_roles
from matters.capabilities import MatterCap

User = get_user_model()
ClientAs = Callable[[str | None], Client]
pytestmark = pytest.mark.usefixtures("demo")

MIXES = [(admin, work) for admin in sorted(ADMIN_ROLES) for work in sorted(WORK_ROLES)]
MIX_IDS = [f"{admin.value}+{work.value}" for admin, work in MIXES]


def _roles(user: object) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]


def _account(username: str, *roles: Role) -> object:
    user = User.objects.create_user(username, password="a-Long-passphrase-2026")
    user.groups.set([Group.objects.get(name=role.value) for role in roles])
    return user


@contextmanager
def _trigger_lifted() -> Iterator[None]:
    """Play someone with the database owner's rights who drops the guard (undone with the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_admin_role_alone_insert")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table being altered
            cursor.execute("ALTER TABLE auth_user_groups DISABLE TRIGGER core_admin_role_alone")
    yield


def _mixed_account(username: str, admin: Role, work: Role) -> object:
    with _trigger_lifted():
        return _account(username, admin, work)


@pytest.mark.parametrize(("admin", "work"), MIXES, ids=MIX_IDS)
def test_the_service_refuses_an_administrator_role_together_with_any_work_role(admin: Role, work: Role) -> None:
    secadmin = User.objects.get(username="secadmin")
    holder = _account("holds-work", work)
    with pytest.raises(DomainError, match="不能兼任任何业务角色"):
        account_set_roles(actor=secadmin, user=holder, roles=[work.value, admin.value])
    administrator = _account("holds-admin", admin)
    with pytest.raises(DomainError, match="不能兼任任何业务角色"):
        account_set_roles(actor=secadmin, user=administrator, roles=[admin.value, work.value])
    assert _roles(holder) == [work.value] and _roles(administrator) == [admin.value]
    assert not AuditEvent.objects.filter(action="accounts.roles", target_id__in=[holder.pk, administrator.pk]).exists()  # type: ignore[attr-defined]


def test_the_refusal_is_translated() -> None:
    from django.utils import translation

    holder = _account("holds-work", Role.SUPERVISOR)
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        account_set_roles(actor=None, user=holder, roles=[Role.SUPERVISOR, Role.AUDITOR])
    assert "管理员" in refused.value.message and "业务" in refused.value.message


def test_a_work_role_can_still_be_replaced_by_an_administrator_role_and_back() -> None:
    holder = _account("moves-on", Role.COORDINATOR, Role.LEADER)
    assert account_set_roles(actor=None, user=holder, roles=[Role.AUDITOR]) == [Role.AUDITOR]
    assert _roles(holder) == [Role.AUDITOR]
    assert account_set_roles(actor=None, user=holder, roles=[Role.CADRE, Role.LEADER]) == [Role.CADRE, Role.LEADER]
    assert _roles(holder) == [Role.CADRE, Role.LEADER]


def test_the_security_administrator_cannot_grant_it_on_the_roles_page(client_as: ClientAs) -> None:
    client = client_as("secadmin")
    auditor = User.objects.get(username="auditor")
    page = client.post(f"/security/{auditor.pk}/roles/", {"roles": [Role.AUDITOR, Role.SUPERVISOR]})
    assert page.status_code == 200 and "业务数据" in page.content.decode()
    supervisor = User.objects.get(username="supervisor")
    page = client.post(f"/security/{supervisor.pk}/roles/", {"roles": [Role.SUPERVISOR, Role.SYSADMIN]})
    assert page.status_code == 200 and "业务数据" in page.content.decode()
    assert _roles(auditor) == [Role.AUDITOR] and _roles(supervisor) == [Role.SUPERVISOR]


def test_create_account_gives_one_role_and_never_a_second_one_to_an_existing_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MQ_TEST_PASSWORD", "a-Long-passphrase-2026")
    with pytest.raises(CommandError):
        call_command("create_account", "coordinator", "--role", "auditor", "--password-env", "MQ_TEST_PASSWORD")
    assert _roles(User.objects.get(username="coordinator")) == [Role.COORDINATOR]
    out = io.StringIO()
    call_command("create_account", "newadmin", "--role", "auditor", "--password-env", "MQ_TEST_PASSWORD", stdout=out)
    assert _roles(User.objects.get(username="newadmin")) == [Role.AUDITOR]


def test_the_api_offers_no_way_to_change_roles(client_as: ClientAs) -> None:
    from rest_framework.authtoken.models import Token

    from tests.security.matrix import api_methods, url_patterns

    api = [p for p in url_patterns() if p.pattern.startswith("api/v1/")]
    writes = {p.name for p in api if api_methods(p.callback) - {"GET"}}
    assert writes == {
        "api:token",
        "api:matter-list",
        "api:matter-transitions",
        "api:visit-list",
        # the enterprise line: profiles, policies, deliveries
        "api:enterprise-list",
        "api:enterprise-detail",
        "api:policy-list",
        "api:policy-detail",
        "api:delivery-list",
        # the petition line: cases, their dispositions, home visits and closing; disputes
        "api:petition-list",
        "api:petition-detail",
        "api:petition-dispositions",
        "api:petition-visits",
        "api:petition-close",
        "api:dispute-list",
        "api:dispute-escalate",
        # the care line: claiming and fulfilling a wish
        "api:wish-claim",
        "api:wish-fulfil",
        # the monthly review: created and closed by the coordination team
        "api:review-list",
        "api:review-close",
        # the supervision signals: dismissed or turned into a clue by the supervision team
        "api:signal-dismiss",
        "api:signal-clue",
        # circulars: drafted, edited and issued by the supervision or coordination team
        "api:circular-list",
        "api:circular-detail",
        "api:circular-issue",
        # problem clues: registered, disposed of, concluded and held to account by the supervision team
        "api:clue-list",
        "api:clue-dispose",
        "api:clue-reply",
        "api:clue-conclude",
        "api:clue-measures",
    }, writes
    assert not [p.pattern for p in api if any(w in p.pattern for w in ("role", "group", "account", "security"))]
    secadmin = User.objects.get(username="secadmin")
    supervisor = User.objects.get(username="supervisor")
    token = Token.objects.create(user=secadmin).key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    person = supervisor.person.pk  # type: ignore[attr-defined]
    for method in ("post", "put", "patch"):
        response = getattr(client, method)(
            f"/api/v1/people/{person}/", {"roles": [Role.AUDITOR]}, content_type="application/json"
        )
        assert response.status_code in (403, 405)
    assert _roles(supervisor) == [Role.SUPERVISOR]


def _refused(sql: str, params: list[int]) -> None:
    with (
        pytest.raises(IntegrityError, match="separation of duties"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("held", "added"),
    [
        (Role.AUDITOR, Role.SUPERVISOR),
        (Role.SYSADMIN, Role.COORDINATOR),
        (Role.SECADMIN, Role.RESIDENT),
        (Role.COORDINATOR, Role.SYSADMIN),
        (Role.SUPERVISOR, Role.AUDITOR),
        (Role.SYSADMIN, Role.SECADMIN),
    ],
    ids=lambda role: role.value,
)
def test_raw_sql_cannot_give_an_administrator_another_role_either(held: Role, added: Role) -> None:
    user = _account("raw-target", held)
    group = Group.objects.get(name=added.value)
    _refused("INSERT INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)", [user.pk, group.pk])  # type: ignore[attr-defined]
    # Nor by moving a row: another account's role row pointed at this account.
    other = _account("raw-other", added)
    _refused("UPDATE auth_user_groups SET user_id = %s WHERE user_id = %s", [user.pk, other.pk])  # type: ignore[attr-defined]
    # Nor by turning the second of two work roles into an administrator's (or the other way round).
    pair = _account("raw-pair", held, Role.CADRE) if held in WORK_ROLES else None
    if pair is not None:
        _refused(
            "UPDATE auth_user_groups SET group_id = %s WHERE user_id = %s AND group_id = %s",
            [group.pk, pair.pk, Group.objects.get(name=Role.CADRE).pk],  # type: ignore[attr-defined]
        )
        assert _roles(pair) == sorted({held.value, Role.CADRE.value})
    assert _roles(user) == [held.value] and _roles(other) == [added.value]


def test_raw_sql_may_still_give_work_roles_together_and_change_one_role_for_another() -> None:
    user = _account("raw-worker", Role.CADRE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)",
            [user.pk, Group.objects.get(name=Role.HANDLER).pk],  # type: ignore[attr-defined]
        )
        cursor.execute(
            "UPDATE auth_user_groups SET group_id = %s WHERE user_id = %s AND group_id = %s",
            [Group.objects.get(name=Role.LEADER).pk, user.pk, Group.objects.get(name=Role.CADRE).pk],  # type: ignore[attr-defined]
        )
    assert _roles(user) == [Role.HANDLER, Role.LEADER]
    admin = _account("raw-admin", Role.AUDITOR)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE auth_user_groups SET group_id = %s WHERE user_id = %s",
            [Group.objects.get(name=Role.SYSADMIN).pk, admin.pk],  # type: ignore[attr-defined]
        )
    assert _roles(admin) == [Role.SYSADMIN]


def test_an_account_that_already_mixes_roles_is_reported_and_reads_no_business_data(client_as: ClientAs) -> None:
    mixed = _mixed_account("old-auditor", Role.AUDITOR, Role.SUPERVISOR)
    assert user_roles(User.objects.get(pk=mixed.pk)) == {Role.AUDITOR}  # type: ignore[attr-defined]
    assert not user_can(User.objects.get(pk=mixed.pk), MatterCap.VIEW)  # type: ignore[attr-defined]
    client = Client()
    client.force_login(mixed)  # type: ignore[arg-type]
    assert client.get("/matters/").status_code == 403 and client.get("/fieldwork/visits/").status_code == 403
    assert client.get("/audit/").status_code == 200
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 "):
        call_command("check_roles", stdout=out)
    assert "old-auditor: auditor, supervisor" in out.getvalue()
    page = client_as("secadmin").get("/security/").content.decode()
    assert "old-auditor" in page and f"/security/{mixed.pk}/roles/" in page  # type: ignore[attr-defined]
    # Nothing was changed behind anyone's back; the security administrator sorts it out on the roles page.
    assert _roles(mixed) == [Role.AUDITOR, Role.SUPERVISOR]
    client_as("secadmin").post(f"/security/{mixed.pk}/roles/", {"roles": [Role.AUDITOR]})  # type: ignore[attr-defined]
    assert _roles(mixed) == [Role.AUDITOR]
    quiet = io.StringIO()
    call_command("check_roles", stdout=quiet)
    assert "old-auditor" not in quiet.getvalue()


def test_two_administrator_roles_in_one_account_keep_neither() -> None:
    with _trigger_lifted():
        both = _account("two-hats", Role.SYSADMIN, Role.AUDITOR)
    assert user_roles(User.objects.get(pk=both.pk)) == frozenset()  # type: ignore[attr-defined]


def test_the_migration_reports_existing_mixes_and_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("core.migrations.0003_admin_holds_no_other_role")
    mixed = _mixed_account("old-sysadmin", Role.SYSADMIN, Role.COORDINATOR)
    migration.report_mixed(apps, None)
    assert "old-sysadmin (coordinator, sysadmin)" in capsys.readouterr().out
    assert _roles(mixed) == [Role.COORDINATOR, Role.SYSADMIN]
