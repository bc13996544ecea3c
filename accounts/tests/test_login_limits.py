"""Login is limited per address and per address range too, and someone else's attempts cannot lock the owner out.

Every test runs at a frozen time; addresses are from the documentation ranges (RFC 5737, RFC 3849).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from audit.models import AuditEvent
from core.clients import address_range, normal_address
from core.models import AccountLock, LoginBlock

pytestmark = pytest.mark.usefixtures("demo")
PASSWORD = "demo-pass-2026"
START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"
ClientAs = Callable[[str | None], Client]


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> Any:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def small_limits(settings: Any) -> Any:
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_LIMIT = 8
    settings.LOGIN_RANGE_LIMIT = 12
    return settings


def _web(address: str, username: str, password: str, **extra: Any) -> Any:
    return Client(REMOTE_ADDR=address, **extra).post("/login/", {"username": username, "password": password})


def _api(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post("/api/v1/auth/token/", {"username": username, "password": password})


def _errors(response: Any) -> list[str]:
    if response["Content-Type"].startswith("application/json"):
        return list(response.json().get("non_field_errors", []))
    return list(response.context["form"].non_field_errors())


def test_one_address_trying_many_usernames_is_refused_before_any_account_is_locked(small_limits: Any) -> None:
    names = ["leader", "coordinator", "nobody-1", "nobody-2", "supervisor", "nobody-3", "cadre", "nobody-4"]
    for name in names:  # one try each: no account reaches its own limit
        assert _web(ATTACKER, name, "wrong-password").status_code == 200
    assert not AccountLock.objects.filter(locked_until__isnull=False).exists()
    refused = _web(ATTACKER, "leader", PASSWORD)
    assert refused.status_code == 200 and "网络" in _errors(refused)[0]
    assert _web(OWNER, "leader", PASSWORD).status_code == 302  # the same account from elsewhere
    blocked = AuditEvent.objects.filter(action="security.login_blocked")
    assert [e.after["scope"] for e in blocked if e.after] == ["address"]  # once, when the block began


def test_a_whole_ipv4_range_is_refused_past_its_limit_and_its_neighbours_are_not(small_limits: Any) -> None:
    for n in range(12):  # 12 addresses of one /24, each well under the address limit
        _web(f"203.0.113.{n + 1}", f"nobody-{n}", "wrong-password")
    assert "网络" in _errors(_web("203.0.113.200", "leader", PASSWORD))[0]
    assert _web("203.0.114.1", "leader", PASSWORD).status_code == 302


def test_a_whole_ipv6_64_is_refused_past_its_limit(small_limits: Any) -> None:
    for n in range(12):
        _web(f"2001:db8:1:2::{n + 1:x}", f"nobody-{n}", "wrong-password")
    assert "网络" in _errors(_web("2001:db8:1:2:ffff::1", "leader", PASSWORD))[0]
    assert _web("2001:db8:1:3::1", "leader", PASSWORD).status_code == 302


def test_an_ipv4_address_written_as_ipv6_counts_as_itself() -> None:
    assert normal_address("::ffff:203.0.113.9") == "203.0.113.9"
    assert address_range("::ffff:203.0.113.9") == "203.0.113.0/24" == address_range("203.0.113.77")
    assert address_range("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert address_range("not an address") == "not an address"


def test_failures_from_another_address_never_lock_the_owner_out() -> None:
    for _ in range(5):
        _web(ATTACKER, "secadmin", "wrong-password")
    assert "锁定" in _errors(_web(ATTACKER, "secadmin", PASSWORD))[0]  # locked for the attacker's address
    owner = Client(REMOTE_ADDR=OWNER)
    assert owner.post("/login/", {"username": "secadmin", "password": PASSWORD}).status_code == 302
    assert owner.get("/security/").status_code == 200
    # and again in the next window, however often the attacker comes back
    for minutes in (16, 32, 48):
        with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
            for _ in range(5):
                _web(ATTACKER, "secadmin", "wrong-password")
            assert _web(OWNER, "secadmin", PASSWORD).status_code == 302


def test_an_unknown_username_leaves_no_lock_row_and_one_audit_event_per_address_and_window() -> None:
    wrong = _web(ATTACKER, "leader", "wrong-password")
    for _ in range(4):
        unknown = _web(ATTACKER, "nobody-here", "wrong-password")
    assert _errors(unknown) == _errors(wrong)
    # the fifth failure answers exactly as it would for an account: "locked"
    assert _errors(_web(ATTACKER, "nobody-here", "wrong-password")) == _errors(_locked_answer(ATTACKER, "cadre"))
    assert not AccountLock.objects.filter(username="nobody-here").exists()
    events = AuditEvent.objects.filter(action="security.login_unknown")
    assert events.count() == 1
    assert "nobody-here" not in json.dumps([e.after for e in AuditEvent.objects.all()], ensure_ascii=False)
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        _web(ATTACKER, "nobody-else", "wrong-password")
    assert AuditEvent.objects.filter(action="security.login_unknown").count() == 2


def _locked_answer(address: str, username: str) -> Any:
    for _ in range(4):
        _web(address, username, "wrong-password")
    return _web(address, username, "wrong-password")


class CountingHasher(MD5PasswordHasher):
    """Django's MD5 hasher (the test suite's), counting how often a password is hashed."""

    algorithm = "md5"
    runs = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.runs += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings: Any) -> Iterator[type[CountingHasher]]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.runs = 0
    yield CountingHasher


def test_an_unknown_username_runs_the_password_hasher_like_a_wrong_password(counting_hasher: Any) -> None:
    _web(ATTACKER, "leader", "wrong-password")
    known = counting_hasher.runs
    counting_hasher.runs = 0
    _web(ATTACKER, "nobody-here", "wrong-password")
    assert known == counting_hasher.runs == 1


def test_the_api_token_endpoint_and_the_login_page_share_every_limit(small_limits: Any) -> None:
    for n in range(8):
        (_api if n % 2 else _web)(ATTACKER, f"nobody-{n}", "wrong-password")
    assert "网络" in _errors(_api(ATTACKER, "leader", PASSWORD))[0]
    assert "网络" in _errors(_web(ATTACKER, "leader", PASSWORD))[0]
    for _ in range(5):
        _api("192.0.2.1", "leader", "wrong-password")
    assert "锁定" in _errors(_web("192.0.2.1", "leader", PASSWORD))[0]
    assert _api(OWNER, "leader", PASSWORD).status_code == 200


def test_a_forged_x_forwarded_for_changes_nothing_unless_the_proxy_is_trusted(small_limits: Any) -> None:
    for n in range(8):
        _web(ATTACKER, f"nobody-{n}", "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert "网络" in _errors(_web(ATTACKER, "leader", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99"))[0]


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_limited(small_limits: Any) -> None:
    small_limits.TRUST_X_FORWARDED_FOR = True
    proxy = "10.0.0.1"
    for n in range(8):
        _web(proxy, f"nobody-{n}", "wrong-password", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert "网络" in _errors(_web(proxy, "leader", PASSWORD, HTTP_X_FORWARDED_FOR=ATTACKER))[0]
    assert _web(proxy, "leader", PASSWORD, HTTP_X_FORWARDED_FOR=OWNER).status_code == 302


def test_blocks_and_locks_end_by_themselves_after_the_lockout_period(small_limits: Any) -> None:
    for n in range(8):
        _web(ATTACKER, "leader" if n < 5 else f"nobody-{n}", "wrong-password")
    assert "网络" in _errors(_web(ATTACKER, "leader", PASSWORD))[0]
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        assert "网络" in _errors(_web(ATTACKER, "leader", PASSWORD))[0]
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        assert _web(ATTACKER, "leader", PASSWORD).status_code == 302


def test_the_security_administrator_lifts_an_address_block_and_an_accounts_locks(
    small_limits: Any, client_as: ClientAs
) -> None:
    for _ in range(5):
        _web(ATTACKER, "leader", "wrong-password")
        _web("192.0.2.1", "leader", "wrong-password")
    for n in range(3):
        _web(ATTACKER, f"nobody-{n}", "wrong-password")
    secadmin = client_as("secadmin")
    page = secadmin.get("/security/").content.decode()
    assert "leader" in page and ATTACKER not in page  # only a digest of the address is kept and shown
    block = LoginBlock.objects.get(scope=LoginBlock.Scope.ADDRESS, blocked_until__isnull=False)
    secadmin.post("/security/unlock/", {"block": str(block.pk)})
    assert AuditEvent.objects.filter(action="security.unblock", actor_name="secadmin").exists()
    assert "锁定" in _errors(_web(ATTACKER, "leader", PASSWORD))[0]  # the address is free; the account lock holds
    secadmin.post("/security/unlock/", {"username": "leader"})
    assert AuditEvent.objects.filter(action="security.unlock", actor_name="secadmin").exists()
    assert _web(ATTACKER, "leader", PASSWORD).status_code == 302
    assert _web("192.0.2.1", "leader", PASSWORD).status_code == 302  # every address's lock was lifted
    for junk in ("", "x", "-1", "9" * 40):
        assert secadmin.post("/security/unlock/", {"block": junk}).status_code == 302


def test_failures_are_audited_with_a_digest_of_the_address_never_the_address() -> None:
    _web(ATTACKER, "leader", "wrong-password")
    event = AuditEvent.objects.get(action="security.login_failed")
    assert event.after is not None and event.after["username"] == "leader" and len(event.after["client"]) == 12
    assert ATTACKER not in json.dumps([[e.after, e.target_label] for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert ATTACKER not in json.dumps(
        list(LoginBlock.objects.values()) + list(AccountLock.objects.values()), default=str
    )


def test_the_cleanup_deletes_login_counters_once_they_are_a_day_old(small_limits: Any) -> None:
    from django.core.management import call_command

    for n in range(8):
        _web(ATTACKER, f"nobody-{n}", "wrong-password")
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        call_command("portal_cleanup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not LoginBlock.objects.exists()
