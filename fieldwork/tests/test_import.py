"""Importing visit sheets: messy cells, places resolved by name, per-row errors, dry run, all or nothing, re-import."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import QuerySet
from django.test import Client
from django.utils import translation

from audit.models import AuditEvent
from fieldwork.models import PlaceKind, Visit, VisitKind

IMPORT = "/fieldwork/visits/import/"
HEADER = ["序号", "姓名", "日期", "时长", "类型", "地点", "备注", "补录原因"]
# June's paper sheet, typed in mid-July: every row is a late entry (VISIT_LATE_DAYS) and says why.
LATE = "纸质台账月底汇总补录"
NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def _frozen_in_english() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def client_as(client_as: Callable[[str | None], Client]) -> Callable[[str | None], Client]:
    def make(username: str | None) -> Client:
        client = client_as(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def imported() -> QuerySet[Visit]:
    """The visits the tests import (the demo may have loaded visits of its own)."""
    return Visit.objects.exclude(import_key__startswith="demo:")


def xlsx(rows: list[list[Any]], *, title: str | None = "长乐山工业园区党员干部走访台账（2022年6月）") -> bytes:
    """A sheet as offices keep it: a merged title row, a blank row, the header, the rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append([*row, LATE] if len(row) == len(HEADER) - 1 else row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write(tmp_path: Path, data: bytes, name: str = "visits.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(path: Path, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_visits", str(path), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def refused(path: Path, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_visits", str(path), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue() + str(caught.value)


MESSY: list[list[Any]] = [
    ["1", " 杨立新 ", dt.date(2022, 6, 3), 3.5, "实地走访", "长宇社区", "走访联系点，听取居民意见"],
    ["2", "邹国柱", "2022.6.7", "3小时", "调研座谈", " 卫王社区 ", ""],
    ["3", "长宇社区党员干部（演示）", "2022/6/8", "半天", "入户走访", "长宇社区困难家庭（演示）", ""],
    [],
    ["4", "陆露", "6月9日", "２.５", "党建", "正信花园", "主题党日"],
    ["5", "曾湛涛", "2022年6月10日", "9:00-12:00", "governance", "杨亦主小区", ""],
    ["6", "吕相阳", "2022-06-13", "2", "政策宣讲", "园区会议室", ""],
    ["7", "李永金", "2022-06-14", "1.5h", "走访企业", "长乐山某企业", ""],
]


def test_a_messy_office_sheet_imports_every_row_with_its_place_resolved(tmp_path: Path) -> None:
    output = run(write(tmp_path, xlsx(MESSY)), "--year", "2022")
    assert "Imported 7 visits" in output
    visits = {v.person.name: v for v in imported().select_related("person", "unit", "contact_point")}
    yang = visits["杨立新"]
    assert (yang.date, yang.hours, yang.kind) == (dt.date(2022, 6, 3), Decimal("3.5"), VisitKind.SITE_VISIT)
    assert yang.place_kind == PlaceKind.CONTACT_POINT and yang.contact_point is not None  # his contact point
    assert yang.notes == "走访联系点，听取居民意见"
    zou = visits["邹国柱"]
    assert (zou.date, zou.hours, zou.place_kind) == (dt.date(2022, 6, 7), Decimal("3"), PlaceKind.CONTACT_POINT)
    cadre = visits["长宇社区党员干部（演示）"]
    assert (cadre.hours, cadre.place_kind, cadre.place_detail) == (
        Decimal("4"),
        PlaceKind.HOUSEHOLD,
        "长宇社区困难家庭（演示）",
    )
    lulu = visits["陆露"]
    assert (lulu.date, lulu.hours, lulu.place_kind) == (dt.date(2022, 6, 9), Decimal("2.5"), PlaceKind.COMPOUND)
    zeng = visits["曾湛涛"]
    assert (zeng.start_time, zeng.end_time, zeng.hours) == (dt.time(9), dt.time(12), Decimal("3"))
    assert zeng.kind == VisitKind.GOVERNANCE and zeng.unit is not None and zeng.unit.name == "杨亦主小区"
    assert (visits["吕相阳"].place_kind, visits["吕相阳"].place_detail) == (PlaceKind.OTHER, "园区会议室")
    assert visits["李永金"].hours == Decimal("1.5") and visits["李永金"].kind == VisitKind.ENTERPRISE
    assert all(v.import_key for v in visits.values())
    assert AuditEvent.objects.filter(action="fieldwork.visit_import").count() == 1


def test_importing_the_same_sheet_again_adds_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, xlsx(MESSY))
    run(path, "--year", "2022")
    output = run(path, "--year", "2022")
    assert "Imported 0 visits; 7 rows were already imported." in output
    assert imported().count() == 7


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(tmp_path: Path) -> None:
    events = AuditEvent.objects.count()
    output = run(write(tmp_path, xlsx(MESSY)), "--dry-run", "--year", "2022")
    assert "Dry run: 7 rows would be imported, 0 already imported. Nothing was written." in output
    assert "header in row 3" in output
    assert imported().count() == 0
    assert AuditEvent.objects.count() == events


def test_each_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written(tmp_path: Path) -> None:
    rows = [
        ["1", "杨立新", "2022-06-03", "3", "实地走访", "长宇社区", ""],
        ["2", "王五", "2022-06-03", "3", "实地走访", "长宇社区", ""],
        ["3", "杨立新", "2022-06-04", "3", "开会", "长宇社区", ""],
        ["4", "杨立新", "2022-08-01", "3", "实地走访", "长宇社区", ""],
        ["5", "杨立新", "2022-06-05", "25", "实地走访", "长宇社区", ""],
        ["6", "杨立新", "2022-06-06", "几个小时", "实地走访", "长宇社区", ""],
        ["7", "杨立新", "昨天", "3", "实地走访", "长宇社区", ""],
        ["8", "杨立新", "2022-06-07", "3", "实地走访", "", ""],
    ]
    output = refused(write(tmp_path, xlsx(rows)))
    assert "Row 5, column “姓名”: Nobody named “王五”. Add the person first." in output
    assert "Row 6, column “类型”: Unknown kind of visit “开会”" in output
    assert "Row 7, column “日期”: The visit date cannot be in the future." in output
    assert "Row 8, column “时长”: A visit lasts at most 24 hours." in output
    assert "Row 9, column “时长”: Cannot read “几个小时” as hours" in output
    assert "Row 10, column “日期”: Cannot read “昨天” as a date" in output
    assert "Row 11, column “地点”: The place is empty." in output
    assert "nothing was imported" in output
    assert imported().count() == 0


def test_more_than_24_hours_in_a_day_across_rows_refuses_the_whole_sheet(tmp_path: Path) -> None:
    rows = [
        ["1", "陆露", "2022-06-03", "16", "基层治理", "卫王社区", "白天"],
        ["2", "陆露", "2022-06-03", "10", "应急值守", "卫王社区", "夜间"],
        ["3", "李永金", "2022-06-03", "4", "党建", "卫王社区", ""],
    ]
    output = refused(write(tmp_path, xlsx(rows)))
    assert "Row 5, column “时长”: That would make more than 24 hours in a day" in output
    assert imported().count() == 0  # rows 1 and 3 were fine, and were rolled back with the rest


def test_a_row_repeated_in_the_sheet_is_imported_once(tmp_path: Path) -> None:
    row = ["1", "陆露", "2022-06-03", "2", "党建", "卫王社区", "主题党日"]
    output = run(write(tmp_path, xlsx([row, row])))
    assert "repeats row 4" in output
    assert imported().count() == 1


def test_a_csv_sheet_with_start_and_end_columns_imports(tmp_path: Path) -> None:
    text = "姓名,日期,开始时间,结束时间,走访类型,走访地点,补录原因\n陆露,2022-06-03,08:30,12:00,基层治理,卫王社区,补录\n"
    run(write(tmp_path, text.encode("gb18030"), "visits.csv"))
    visit = imported().get()
    assert (visit.start_time, visit.end_time, visit.hours) == (dt.time(8, 30), dt.time(12), Decimal("3.5"))


def test_a_sheet_without_the_needed_columns_is_refused_as_a_whole(tmp_path: Path) -> None:
    text = "姓名,日期,类型\n陆露,2022-06-03,党建\n"
    output = refused(write(tmp_path, text.encode(), "visits.csv"))
    assert "has no column “地点”、“时长”" in output
    output = refused(write(tmp_path, b"not a workbook", "visits.xlsx"))
    assert "This file is not an Excel workbook (.xlsx)" in output
    output = refused(write(tmp_path, b"x", "visits.docx"))
    assert "Upload the visit sheet as an .xlsx or .csv file." in output


def test_a_date_without_a_year_takes_this_year_by_default(tmp_path: Path) -> None:
    run(write(tmp_path, xlsx([["1", "陆露", "6月3日", "2", "党建", "卫王社区", ""]])))
    assert imported().get().date == dt.date(2022, 6, 3)


# --- the upload page -----------------------------------------------------------------------------------


def upload(client: Client, data: bytes, **fields: object) -> Any:
    return client.post(IMPORT, {"file": SimpleUploadedFile("台账.xlsx", data), "year": "2022", **fields})


def test_the_upload_page_checks_first_then_imports_on_confirmation(client_as: Callable[[str | None], Client]) -> None:
    client = client_as("coordinator")
    assert client.get(IMPORT).status_code == 200
    page = upload(client, xlsx(MESSY), dry_run="on")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dry run: 7 rows would be imported. Nothing was written." in html
    assert imported().count() == 0
    token = page.context["token"]
    done = client.post(IMPORT, {"confirm": "1", "token": token})
    assert "7 visits imported." in done.content.decode()
    assert imported().count() == 7
    assert all(v.created_by is not None and v.created_by.get_username() == "coordinator" for v in imported())


def test_the_upload_page_shows_each_rows_errors_and_writes_nothing(client_as: Callable[[str | None], Client]) -> None:
    rows = [*MESSY, ["9", "王五", "2022-06-03", "3", "实地走访", "长宇社区", ""]]
    page = upload(client_as("coordinator"), xlsx(rows))  # not a dry run: a real import that fails as a whole
    html = page.content.decode()
    assert "1 error: nothing was imported." in html
    assert "Row 12, column “姓名”: Nobody named “王五”. Add the person first." in html
    assert "token" not in page.context or not page.context["token"]
    assert imported().count() == 0


def test_an_expired_confirmation_imports_nothing(client_as: Callable[[str | None], Client]) -> None:
    response = client_as("coordinator").post(IMPORT, {"confirm": "1", "token": "forged"}, follow=True)
    assert "This check has expired or was replaced." in response.content.decode()
    assert imported().count() == 0


@pytest.mark.parametrize("username", ["cadre", "leader", "assessor"])
def test_only_the_coordination_team_may_import_visits(client_as: Callable[[str | None], Client], username: str) -> None:
    assert client_as(username).get(IMPORT).status_code == 403
    assert upload(client_as(username), xlsx(MESSY)).status_code == 403
    assert imported().count() == 0


def test_a_cell_that_cannot_be_read_is_shown_as_written_in_its_rows_line(tmp_path: Path) -> None:
    output = refused(write(tmp_path, xlsx([["1", "杨立新", "2022-06-03", "3", "开会", "长宇社区", ""]])))
    [line] = [line for line in output.splitlines() if line.startswith("row 4 |")]
    assert line.split(" | ")[1:] == ["[error]", "杨立新", "2022-06-03", "3", "开会", "Contact point: 长宇社区"]


def test_a_late_row_without_a_reason_is_an_error_and_a_reason_is_kept_with_the_visit(tmp_path: Path) -> None:
    text = (
        "姓名,日期,时长,类型,地点,补录原因\n"
        "陆露,2022-06-03,2,党建,卫王社区,\n"  # 42 days late, no reason
        "陆露,2022-07-10,2,党建,卫王社区,\n"  # five days: in time
    )
    output = refused(write(tmp_path, text.encode(), "visits.csv"))
    assert "Row 2, column “补录原因”: This visit is entered 42 days after its date (more than 7)" in output
    assert "Row 3" not in output and not imported().exists()
    fixed = text.replace("卫王社区,\n陆露,2022-07-10", "卫王社区,月底统一补录\n陆露,2022-07-10")
    run(write(tmp_path, fixed.encode(), "visits.csv"))
    reasons = dict(imported().values_list("date", "late_reason"))
    assert reasons == {dt.date(2022, 6, 3): "月底统一补录", dt.date(2022, 7, 10): ""}


def test_an_imported_row_overlapping_a_visit_of_the_same_person_is_an_error_naming_it(tmp_path: Path) -> None:
    text = (
        "姓名,日期,开始时间,结束时间,类型,地点\n"
        "陆露,2022-07-14,08:30,12:00,党建,卫王社区\n"
        "陆露,2022-07-14,11:00,13:00,党建,正信花园\n"
    )
    output = refused(write(tmp_path, text.encode(), "visits.csv"))
    assert "Row 3, column “开始时间”: This overlaps another visit of 陆露 on 2022-07-14" in output
    assert "08:30–12:00" in output and not imported().exists()
