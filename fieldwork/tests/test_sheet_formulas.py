"""Formula injection through field work's sheets: a visit sheet's formula-like notes are stored as text, a
formula without a saved value is refused, and the duty grid's workbook writes names as strings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from fieldwork.importer import import_visits
from fieldwork.models import Visit
from fieldwork.tests.test_import import HEADER, LATE, xlsx
from org.models import Person

NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HYPERLINK = '=HYPERLINK("http://evil","点我")'

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def _frozen_in_english() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *([*row, LATE] if len(row) == len(HEADER) - 1 else row for row in rows)])
    return out.getvalue().encode("utf-8")


def _coordinator() -> Any:
    return get_user_model().objects.get(username="coordinator")


def test_formula_like_notes_of_a_visit_sheet_are_stored_as_the_text_typed() -> None:
    rows = [
        ["1", "杨立新", "2022-06-03", "2", "实地走访", "长宇社区", HYPERLINK],
        ["2", "邹国柱", "2022-06-07", "3", "调研座谈", "卫王社区", "'@SUM(A1)"],  # neutralised by another export
    ]
    report = import_visits(name="visits.csv", data=_csv(rows), actor=_coordinator(), year=2022)
    assert report.written, report.errors
    notes = set(Visit.objects.exclude(import_key__startswith="demo:").values_list("notes", flat=True))
    assert notes == {HYPERLINK, "@SUM(A1)"}


def test_a_visit_workbook_with_a_formula_never_calculated_is_refused_and_nothing_is_stored() -> None:
    before = Visit.objects.count()
    data = xlsx([["1", "杨立新", "2022-06-03", "=1+1", "实地走访", "长宇社区", ""]])
    report = import_visits(name="visits.xlsx", data=data, actor=_coordinator(), year=2022)
    assert not report.written and Visit.objects.count() == before
    assert any("D4" in error.message and "formula" in error.message for error in report.file_errors)


def test_the_duty_grid_workbook_writes_a_name_that_begins_with_an_equals_sign_as_a_string(
    client_as: Callable[[str | None], Client],
) -> None:
    cadre = Person.objects.get(user__username="cadre")
    Person.objects.filter(pk=cadre.pk).update(name=HYPERLINK)
    response = client_as("coordinator").get("/fieldwork/duties/", {"format": "xlsx", "category": "cadre"})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    found = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert found and {(c.value, c.data_type) for c in found} == {(HYPERLINK, "s")}  # one row per week, each a string
