"""Login, passwords and sessions: the policy, one answer for unknown names, fresh sessions, POST logout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.services import account_create

if TYPE_CHECKING:
    pass
from tests.security.hardening_common import (
    User,
)

# --- login, passwords, sessions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Short-1", "fewer than 10 characters"),
        ("password123", "a common password"),
        ("2026112520261125", "digits only"),
        ("policytester", "the username itself"),
    ],
)
def test_the_password_policy_refuses_weak_passwords_for_new_accounts(password: str, why: str, demo: None) -> None:
    with pytest.raises(ValidationError):
        account_create(actor=None, username="policytester", password=password)
    assert not User.objects.filter(username="policytester").exists(), why


def test_an_unknown_username_gets_the_same_answer_and_the_same_lockout_as_a_wrong_password(demo: None) -> None:
    """No way to learn which usernames exist from the login form."""
    wrong = Client().post("/login/", {"username": "leader", "password": "wrong-password"})
    unknown = Client().post("/login/", {"username": "nobody-here", "password": "wrong-password"})
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = Client().post("/login/", {"username": "nobody-here", "password": "wrong-password"})
    assert "锁定" in response.content.decode()


def test_logging_in_starts_a_new_session_so_a_planted_session_id_is_useless(demo: None) -> None:
    client = Client()
    client.get("/login/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "planted-by-an-attacker"
    client.post("/login/", {"username": "leader", "password": settings.DEMO_PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value not in ("", "planted-by-an-attacker")
    assert client.get("/workbench/").status_code == 200


def test_logging_out_needs_a_post_so_a_link_cannot_end_a_session(demo: None) -> None:
    client = Client()
    client.post("/login/", {"username": "leader", "password": settings.DEMO_PASSWORD})
    assert client.get("/logout/").status_code == 405
    assert client.get("/workbench/").status_code == 200


def test_sessions_end_when_idle_and_with_the_browser() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


