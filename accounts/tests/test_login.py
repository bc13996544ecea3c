"""Login and logout in Chinese, lockout after five failures, idle sessions expire."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from audit.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo")
PASSWORD = "demo-pass-2026"
START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _login(client: Client, password: str, username: str = "leader"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password})


def test_login_page_is_in_chinese_by_default() -> None:
    html = Client().get("/login/").content.decode()
    assert 'lang="zh-Hans"' in html
    assert "工作人员登录" in html


def test_right_password_logs_in_and_lands_on_my_work() -> None:
    client = Client()
    response = _login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200


def test_wrong_password_is_refused_with_a_message_and_recorded() -> None:
    response = _login(Client(), "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert AuditEvent.objects.filter(action="security.login_failed").count() == 1


@time_machine.travel(START, tick=False)
def test_five_failures_lock_the_account_even_against_the_right_password() -> None:
    client = Client()
    for _ in range(5):
        _login(client, "wrong-password")
    response = _login(client, PASSWORD)
    assert response.status_code == 200
    assert "锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="security.login_locked").count() == 1
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_by_itself_after_the_lockout_period() -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _login(Client(), "wrong-password")
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        assert _login(Client(), PASSWORD).status_code == 302


@time_machine.travel(START, tick=False)
def test_the_security_administrator_lifts_a_lock(client_as) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        _login(Client(), "wrong-password")
    secadmin = client_as("secadmin")
    assert "leader" in secadmin.get("/security/").content.decode()
    secadmin.post("/security/unlock/", {"username": "leader"})
    assert AuditEvent.objects.filter(action="security.unlock", actor_name="secadmin").exists()
    assert _login(Client(), PASSWORD).status_code == 302


def test_idle_session_expires_and_activity_keeps_it_alive(settings) -> None:  # type: ignore[no-untyped-def]
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    client = Client()
    with time_machine.travel(START, tick=False):
        _login(client, PASSWORD)
    with time_machine.travel(START + idle - dt.timedelta(minutes=1), tick=False):
        assert client.get("/workbench/").status_code == 200  # activity renews the session
    with time_machine.travel(START + 2 * idle - dt.timedelta(minutes=2), tick=False):
        assert client.get("/workbench/").status_code == 200
    with time_machine.travel(START + 3 * idle, tick=False):
        response = client.get("/workbench/")
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_logout_ends_the_session() -> None:
    client = Client()
    _login(client, PASSWORD)
    client.post("/logout/")
    assert client.get("/workbench/").status_code == 302


def test_api_token_endpoint_counts_failures_too() -> None:
    client = Client()
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "leader", "password": "nope"})
    assert _login(client, PASSWORD).status_code == 200
