"""Point 9: the park's backlog ledger in — messy rows are named by row and column and nothing is written; a dry
run writes nothing; a clean ledger imports once (a second run finds its rows again)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook

from petitions.importer import import_ledger
from petitions.models import PetitionCase, Petitioner

pytestmark = pytest.mark.usefixtures("demo")
HEADER = [
    "序号",
    "信访人",
    "联系电话",
    "反映问题",
    "包保领导",
    "责任单位",
    "首次信访时间",
    "信访次数",
    "化解情况",
    "风险等级",
]
GOOD = [
    [
        1,
        "吴某某（演示）",
        "13900000061",
        "反映吴某某被拖欠工资",
        "杨立新",
        "社事办",
        "2021-03-02",
        "4",
        "已约谈施工方",
        "高",
    ],
    [2, "郑某某（演示）", "13900000062", "反映小区物业问题", "邹国柱、曾湛涛", "长宇社区", "2021.8.5", "2次", "", "中"],
]


@pytest.fixture(autouse=True)
def _frozen(demo: None) -> Iterator[None]:
    with time_machine.travel(dt.datetime(2022, 6, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["信访积案台账"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_messy_rows_are_named_by_row_and_column_and_nothing_is_written() -> None:
    messy = [
        *GOOD,
        [3, "冯某某（演示）", "", "反映征地补偿", "张三丰", "社事办", "2021-01-01", "1", "", ""],
        [4, "陈某某（演示）", "", "反映低保", "杨立新", "不存在办", "2030-01-01", "多次", "", "极高"],
        [5, "", "", "", "", "", "", "", "", ""],
    ]
    report = import_ledger(name="ledger.xlsx", data=_xlsx(messy), actor=None, dry_run=False)
    assert not report.written
    errors = {(e.row, e.column) for e in report.errors}
    assert {(5, "包保领导"), (6, "责任单位"), (6, "首次信访时间"), (6, "信访次数"), (6, "风险等级")} <= errors, errors
    assert PetitionCase.objects.count() == 0 and Petitioner.objects.count() == 0


def test_a_dry_run_writes_nothing_and_a_clean_ledger_imports_once() -> None:
    data = _xlsx(GOOD)
    dry = import_ledger(name="ledger.xlsx", data=data, actor=None, dry_run=True)
    assert not dry.errors and dry.new_count == 2 and PetitionCase.objects.count() == 0
    done = import_ledger(name="ledger.xlsx", data=data, actor=None, dry_run=False)
    assert done.written and PetitionCase.objects.count() == 2
    second = PetitionCase.objects.get(petitioners__name="郑某某（演示）")
    assert sorted(second.owners.values_list("name", flat=True)) == ["曾湛涛", "邹国柱"]
    assert (second.petition_count, second.first_petition_on) == (2, dt.date(2021, 8, 5))
    first = PetitionCase.objects.get(petitioners__name="吴某某（演示）")
    assert "吴某某" not in first.matter.problem and first.risk == "high" and "已约谈施工方" in first.summary
    assert "吴某某" not in first.ref
    again = import_ledger(name="ledger.xlsx", data=data, actor=None, dry_run=False)
    assert again.new_count == 0 and again.existing_count == 2 and PetitionCase.objects.count() == 2


def test_the_coordinator_uploads_the_ledger_and_a_handler_may_not() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from petitions.tests.personas import client

    upload = SimpleUploadedFile("ledger.xlsx", _xlsx(GOOD))
    assert client("handler").get("/petitions/import/").status_code == 403
    response = client("coordinator").post("/petitions/import/", {"file": upload})
    assert response.status_code == 200 and response.context["report"].written
    assert PetitionCase.objects.count() == 2
