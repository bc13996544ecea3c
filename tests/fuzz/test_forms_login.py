"""Hypothesis against the login form.

Whatever comes in: no server error; a refusal stores nothing; what is accepted is stored exactly as typed (trimmed,
never escaped), but for the bidi controls and zero-width characters that every text field drops (core.text).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import (
    assert_unchanged,
    count_case,
    fuzz_settings,
    fuzzed,
    last,
    rolled_back,
    row_counts,
)
from tests.fuzz.forms_common import (
    EXAMPLES,
    LOGIN_RECORDS,
    PASSWORD,
    assert_answered,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]


# --- login -----------------------------------------------------------------------------------------------


def test_login_refuses_anything_but_the_right_password_and_only_redirects_home() -> None:
    usernames = st.sampled_from(["cadre", "coordinator", "CADRE", " cadre ", "nobody"])
    passwords = st.sampled_from([PASSWORD, PASSWORD.upper(), PASSWORD + " ", "wrong"])
    targets = st.sampled_from(["", "/matters/", "//evil.example/", "https://evil.example/", "javascript:alert(1)"])

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed({"username": usernames, "password": passwords, "next": targets}))
    def run(data: dict[str, Any]) -> None:
        stored = False
        with rolled_back():
            before = row_counts()
            response = Client().post("/login/", data)
            assert_answered(response, data)
            if response.status_code == 302:
                assert last(data["password"]) == PASSWORD
                location = response["Location"]
                assert location.startswith("/") and not location.startswith("//"), location
                stored = True
            else:
                assert_unchanged(before, allowed=LOGIN_RECORDS, context=repr(data)[:300])
        count_case("forms:login", stored=stored)

    run()


