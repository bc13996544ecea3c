"""The household ledger import (困难群众台账): messy rows read, bad rows named under their column, all or nothing,
a second import adds nothing, a community's handler imports only their community."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from care.models import Household

pytestmark = pytest.mark.usefixtures("demo")
URL = "/care/households/import/"
HEADER = ["序号", "户主姓名", "所属社区", "小区", "家庭住址", "困难类别", "联系电话", "困难情况"]


def _ledger(*rows: list[object]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["长宇社区困难群众台账（演示）"])  # a title above the header
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


GOOD = [
    [
        1,
        " 甲户主（演示） ",
        "长宇社区",
        "长宇新城",
        "长宇新城1栋1单元（演示）",
        "低保户、独居老人",
        "139-0000-0101",
        "独居",
    ],
    [2, "乙户主（演示）", " 长宇 社区 ", "", "长宇社区演示街2号", "大病，失业", "", ""],
    [3, "", "", "", "", "", "", ""],  # an empty row is skipped
]


def test_a_messy_ledger_is_checked_then_imported_and_a_second_import_adds_nothing(
    changyu_handler: object, login: Callable[[object], Client]
) -> None:
    client = login(changyu_handler)
    before = Household.objects.count()
    check = client.post(URL, {"file": _ledger(*GOOD), "dry_run": "on"})
    assert check.status_code == 200 and Household.objects.count() == before
    report = check.context["report"]
    assert report.new_count == 2, [(r.number, r.state, [str(e) for e in r.errors]) for r in report.rows]
    done = client.post(URL, {"file": _ledger(*GOOD)})
    assert done.context["report"].written and Household.objects.count() == before + 2
    first = Household.objects.get(address="长宇新城1栋1单元（演示）")
    assert sorted(c.code for c in first.categories.all()) == ["dibao", "elderly_alone"]
    assert first.compound is not None and first.compound.name == "长宇新城"
    assert first.members.get().phone == "13900000101"
    again = client.post(URL, {"file": _ledger(*GOOD)})
    assert again.context["report"].existing_count == 2 and Household.objects.count() == before + 2


def test_bad_rows_are_named_under_their_column_and_nothing_is_written(
    changyu_handler: object, login: Callable[[object], Client]
) -> None:
    before = Household.objects.count()
    rows = [
        GOOD[0],
        [2, "丙户主（演示）", "长宇社区", "", "演示路3号", "", "", ""],  # no category
        [3, "丁户主（演示）", "长宇社区", "", "演示路4号", "富裕户", "", ""],  # unknown category
        [4, "戊户主（演示）", "卫王社区", "", "演示路5号", "低保", "", ""],  # another community
        [5, "己户主（演示）", "长宇社区", "正信花园", "演示路6号", "低保", "", ""],  # a compound of another community
        [6, "庚户主（演示）", "长宇社区", "", "演示路7号", "低保", "12345", ""],  # not a phone number
    ]
    response = login(changyu_handler).post(URL, {"file": _ledger(*rows)})
    text = response.content.decode()
    report = response.context["report"]
    assert not report.written and Household.objects.count() == before
    assert {(e.row, e.column) for e in report.errors} >= {
        (4, "类别"),
        (5, "类别"),
        (6, "社区"),
        (7, "小区"),
        (8, "电话"),
    }
    assert "请至少为该户选择一个困难类别。" in text


def test_a_file_that_is_not_a_table_gets_one_sentence(
    changyu_handler: object, login: Callable[[object], Client]
) -> None:
    response = login(changyu_handler).post(URL, {"file": SimpleUploadedFile("台账.xlsx", b"not a zip")})
    assert response.status_code == 200 and response.context["report"].file_errors
