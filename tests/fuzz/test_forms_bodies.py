"""Bodies that are not forms at all: refused without a server error.

Whatever comes in: no server error; a refusal stores nothing; what is accepted is stored exactly as typed (trimmed,
never escaped), but for the bidi controls and zero-width characters that every text field drops (core.text).
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import (
    assert_unchanged,
    count_case,
    fuzz_settings,
    rolled_back,
    row_counts,
)
from tests.fuzz.forms_common import (
    EXAMPLES,
    LOGIN_RECORDS,
    assert_answered,
    login_as,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]


# --- bodies that are not forms at all --------------------------------------------------------------------


POST_TARGETS: dict[str, str | None] = {
    "/report/": None,
    "/login/": None,
    "/open311/v2/requests.json": None,
    "/matters/new/": "coordinator",
    "/fieldwork/visits/new/": "cadre",
    "/fieldwork/registration/": "cadre",
}


def _bodies() -> st.SearchStrategy[tuple[str, bytes]]:
    boundary = "----fuzz"
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\n'
        f"Content-Type: image/png\r\n\r\n"
    ).encode()
    return st.one_of(
        st.tuples(st.just(f"multipart/form-data; boundary={boundary}"), st.binary(max_size=300)),
        st.tuples(st.just(f"multipart/form-data; boundary={boundary}"), st.binary(max_size=200).map(part.__add__)),
        st.tuples(st.sampled_from(["multipart/form-data", "multipart/form-data; boundary="]), st.binary(max_size=50)),
        st.tuples(st.just("application/x-www-form-urlencoded"), st.binary(max_size=300)),
        st.tuples(
            st.just("application/x-www-form-urlencoded"),
            st.sampled_from([b"description=%FF%FE%00", b"a=%", b"&&&==&", b"x=" + b"%E4%B8" * 50]),
        ),
        st.tuples(st.sampled_from(["text/plain", "application/json", "application/xml"]), st.binary(max_size=200)),
    )


def test_malformed_bodies_are_refused_without_a_server_error() -> None:
    clients: dict[str | None, Client] = {None: Client(), "coordinator": login_as("coordinator"), "cadre": login_as("cadre")}

    @fuzz_settings(EXAMPLES * 2)
    @given(path=st.sampled_from(sorted(POST_TARGETS)), body=_bodies())
    def run(path: str, body: tuple[str, bytes]) -> None:
        content_type, raw = body
        with rolled_back():
            before = row_counts()
            response = clients[POST_TARGETS[path]].generic("POST", path, raw, content_type=content_type)
            assert_answered(response, (path, body))
            assert_unchanged(before, allowed=LOGIN_RECORDS if path == "/login/" else frozenset())
        count_case("forms:malformed_bodies")

    run()
