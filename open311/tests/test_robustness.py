"""No input makes Open311 fail: absurd values in every parameter get a 2xx or a 4xx in the spec's form."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from matters.tests.factories import matter_in
from matters.workflow import Status
from open311.tests.conftest import BASE, error_codes, matter_count, post, valid_post

ABSURD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "长" * 20_000,
    "😀🚧",
    "\u202e\u200b",
    "-1",
    "1e308",
    "-0",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "<x>&amp;</x>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    ",,,,",
    "2022-06-01T00:00:00+99:00",
]
GET_PARAMS = ["service_request_id", "service_code", "start_date", "end_date", "status", "jurisdiction_id", "page"]
POST_FIELDS = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "email",
    "first_name",
    "last_name",
    "phone",
    "device_id",
    "account_id",
    "media_url",
    "attribute[x]",
    "jurisdiction_id",
]


@pytest.fixture
def some_matter(demo: None) -> str:
    return matter_in(Status.ASSIGNED).code


@pytest.mark.parametrize("param", GET_PARAMS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_absurd_search_parameters_never_fail(some_matter: str, param: str, fmt: str) -> None:
    client = Client()
    for value in ABSURD:
        for path in ("requests", "services", "discovery", f"requests/{some_matter}", "services/roads"):
            response = client.get(f"{BASE}{path}.{fmt}", {param: value})
            assert response.status_code in (200, 400), (path, param, value[:20], response.content[:200])
            if response.status_code == 400:
                assert set(error_codes(response)) == {400}


@pytest.mark.parametrize("field", POST_FIELDS)
def test_absurd_fields_never_fail_and_refusals_write_nothing(api_key: str, field: str) -> None:
    for value in ABSURD:
        before = matter_count()
        response = post(valid_post(api_key, **{field: value}))
        assert response.status_code in (200, 400), (field, value[:20], response.content[:200])
        if response.status_code == 400:
            assert set(error_codes(response)) == {400}
            assert matter_count() == before


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_absurd_paths_never_fail(some_matter: str, fmt: str) -> None:
    client = Client()
    for value in ABSURD:
        segment = quote(value[:5000], safe="")
        for path in (f"requests/{segment}.{fmt}", f"services/{segment}.{fmt}", f"tokens/{segment}.{fmt}", segment):
            response = client.get(BASE + path)
            assert response.status_code in (302, 404), (path[:60], response.status_code)
