"""Hypothesis against Open311: submissions and searches.

Whatever comes in: no server error; a refusal stores nothing; what is accepted is stored exactly as typed (trimmed,
never escaped), but for the bidi controls and zero-width characters that every text field drops (core.text).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from core.text import clean_line, clean_text
from matters.models import Category, Matter
from open311.services import api_key_create
from tests.fuzz.conftest import (
    assert_unchanged,
    count_case,
    fuzz_settings,
    fuzzed,
    last,
    nasty_text,
    plain_text,
    rolled_back,
    row_counts,
)
from tests.fuzz.forms_common import (
    ASCII_PHONE,
    EXAMPLES,
    assert_answered,
    phones,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]


# --- Open311 ---------------------------------------------------------------------------------------------


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), nasty_text())
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner))


def test_open311_requests_store_valid_ones_exactly_and_refuse_the_rest() -> None:
    _key, secret = api_key_create(actor=None, name="fuzz")
    codes = list(Category.objects.values_list("code", flat=True))
    fields = {
        "api_key": st.just(secret),
        "service_code": st.sampled_from(codes),
        "lat": st.decimals(-90, 90, places=6).map(str),
        "long": st.decimals(-180, 180, places=6).map(str),
        "address_string": plain_text(max_size=200),
        "description": plain_text(min_size=1, max_size=2000),
        "first_name": plain_text(max_size=30),
        "last_name": plain_text(max_size=30),
        "phone": phones(),
        "email": st.sampled_from(["a@example.org", "王@例子.中国", "not-an-email"]),
        "media_url": st.sampled_from(["https://example.org/a.jpg", "example.org/a.jpg", "ftp://x"]),
    }
    client = Client()

    @fuzz_settings(EXAMPLES * 2)
    @given(
        data=fuzzed(fields),
        fmt=st.sampled_from(["json", "xml", "csv"]),
        encoding=st.sampled_from(["form", "json", "raw-json"]),
        extra=st.dictionaries(st.text(max_size=10), _json_values(), max_size=2),
        raw=st.sampled_from(['{"description": "\\ud800"}', "[1, 2]", "{", '"text"', '{"a": NaN}', "[" * 5000]),
    )
    def run(data: dict[str, Any], fmt: str, encoding: str, extra: dict[str, Any], raw: str) -> None:
        stored = False
        path = f"/open311/v2/requests.{fmt}"
        with rolled_back():
            before = row_counts()
            if encoding == "form":
                response = client.post(path, data)
            elif encoding == "json":
                body = json.dumps({**extra, **{k: last(v) for k, v in data.items()}})
                response = client.post(path, body, content_type="application/json")
            else:
                response = client.post(path, raw, content_type="application/json")
            assert_answered(response, data)
            if response.status_code == 200 and row_counts()["Matter"] == before["Matter"] + 1:
                matter = Matter.objects.latest("pk")
                assert matter.problem == clean_text(last(data["description"]).strip())
                assert matter.location == clean_line(last(data.get("address_string", "")).strip())
                assert ASCII_PHONE.match(matter.reporter_phone), matter.reporter_phone
                stored = True
            else:
                assert_unchanged(before, allowed=frozenset({"ApiKey"}), context=repr(data)[:300])
        count_case("forms:open311", stored=stored)

    run()


def test_open311_searches_answer_whatever_the_parameters() -> None:
    params = {
        "service_request_id": st.sampled_from(["1", "1,2,3", ",,,", "x" * 60]),
        "service_code": st.sampled_from(["roads", "roads,facilities", "nope"]),
        "start_date": st.sampled_from(["2022-06-01", "2022-06-01T09:00:00+08:00", "0001-01-01", "9999-12-31T23:59"]),
        "end_date": st.sampled_from(["2022-12-31", "2022-06-01T09:00:00Z"]),
        "status": st.sampled_from(["open", "closed", "open,closed", "OPEN"]),
    }
    client = Client()

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(params), fmt=st.sampled_from(["json", "xml"]), request_id=nasty_text())
    def run(data: dict[str, Any], fmt: str, request_id: str) -> None:
        with rolled_back():
            before = row_counts()
            for response in (
                client.get(f"/open311/v2/requests.{fmt}", data),
                client.get(f"/open311/v2/requests/{quote(request_id, safe='')}.{fmt}"),
                client.get(f"/open311/v2/services/{quote(request_id, safe='')}.{fmt}"),
            ):
                assert_answered(response, data)
            assert_unchanged(before)
        count_case("forms:open311_search")

    run()


