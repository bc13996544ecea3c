"""Shared helpers of the Open311 tests: a frozen day in the seed's campaign, a client key, schema checks."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from matters.models import Matter
from open311.services import api_key_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Inside the seed's 2022 campaign; every date in the tests is relative to this moment, never to the real today.
NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=SHANGHAI)
BASE = "/open311/v2/"
# The public GeoReport v2 JSON Schemas (github.com/open311/georeport-v2), copied so the suite needs no network.
SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture(autouse=True)
def frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api_key(demo: None) -> str:
    """The secret of an active client key."""
    _key, secret = api_key_create(actor=None, name="12345热线")
    return secret


def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text("utf-8")), default_specification=DRAFT7))
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


def assert_schema(document: Any, schema: str) -> None:
    """Validate a JSON answer against one of the spec's schemas, and its date-times as ISO 8601 with an offset."""
    registry = _registry()
    validator = Draft7Validator(registry[schema].contents, registry=registry)
    problems = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(document)]
    assert not problems, problems
    for row in document if isinstance(document, list) else [document]:
        for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
            if row.get(name) is not None:
                assert dt.datetime.fromisoformat(row[name]).utcoffset() is not None, row[name]


def parse_xml(response: Any) -> ET.Element:
    """Check the declaration and the content type, then parse."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314  # our own answer


def get_json(path: str, **params: Any) -> Any:
    response = Client().get(BASE + path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def post(data: dict[str, Any], *, fmt: str = "json", **headers: str) -> Any:
    return Client().post(f"{BASE}requests.{fmt}", data, headers=headers)


def valid_post(api_key: str | None, **overrides: Any) -> dict[str, Any]:
    data = {
        "api_key": api_key,
        "jurisdiction_id": "changleshan.example.org",
        "service_code": "facilities",
        "lat": "30.123456",
        "long": "114.654321",
        "address_string": "长宇社区3栋",
        "description": "长宇社区3栋楼下路灯不亮已一周。",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def error_codes(response: Any) -> list[int]:
    """The `code` of each error in a JSON or XML error answer."""
    if response["Content-Type"].startswith("text/xml"):
        root = parse_xml(response)
        assert root.tag == "errors"
        return [int(error.findtext("code") or 0) for error in root.findall("error")]
    body = response.json()
    assert isinstance(body, list) and body
    assert all(set(error) == {"code", "description"} and error["description"] for error in body)
    return [error["code"] for error in body]


def matter_count() -> int:
    return Matter.objects.count()
