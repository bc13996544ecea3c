"""Hypothesis against both importers: generated .xlsx, .csv (and .docx) files with odd cells, headers and bytes.

Whatever the file, an importer reports errors (per row or for the file) and never raises; a dry run, or a file
with any invalid row, stores nothing (all or nothing); rows that are stored keep the text the report read.
The upload pages answer every file without a server error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.text import clean_text
from fieldwork.importer import import_visits
from matters.exchange import cells
from matters.exchange.importer import import_table
from tests.fuzz.conftest import (
    assert_unchanged,
    count_case,
    fuzz_settings,
    nasty_text,
    plain_text,
    rolled_back,
    row_counts,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root")]

EXAMPLES = 60
MATTER_COLUMNS = [cells.NUMBER, cells.PROBLEM, cells.TASK, cells.DEADLINE, cells.LEADS, cells.UNITS, cells.REMARKS]
VISIT_COLUMNS = ["姓名", "日期", "时长", "开始时间", "结束时间", "类型", "地点", "备注", "人数"]
# Tables whose rows an import writes on purpose.
MATTER_TABLES = {"Matter", "Transition", "AuditEvent", "Notification", "Person", "Unit", "DeadlineEvent"}


# --- cells -----------------------------------------------------------------------------------------------


def odd_dates() -> st.SearchStrategy[Any]:
    """Dates as people and spreadsheets write them, and as they should not."""
    day = st.dates(dt.date(1999, 1, 1), dt.date(2101, 12, 31))
    return st.one_of(
        day,
        st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2200, 1, 1)),
        day.map(lambda d: f"{d.year}.{d.month}.{d.day}"),
        day.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
        day.map(lambda d: f"{d.month}月{d.day}日"),
        day.map(lambda d: f"{d.year}/{d.month}/{d.day} 09:00"),
        day.map(lambda d: f"{d.year}.{d.month}"),
        day.map(lambda d: f"{d.month}/{d.day}/{d.year}"),
        st.integers(-100_000, 3_000_000),  # an Excel day number, or not
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(["2022.13", "2022.6.31", "2022年6月底前", "二〇二二年六月", "6月", "2022-W26", "０６／３０"]),
    )


def odd_numbers() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(-10, 10**12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        st.sampled_from(["3", "3.5", "三个半小时", "半天", "9:00-12:00", "２", "²", "𐩀", "1e9", "-1", "0", "24.5"]),
    )


def formulas() -> st.SearchStrategy[str]:
    return st.sampled_from(["=1/0", "=SUM(A1:A3)", '=HYPERLINK("http://evil.example","点我")', "=A1", "=NOW()"])


def any_cell() -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), nasty_text(), odd_numbers(), odd_dates(), formulas(), st.booleans(), st.times())


def matter_cell(column: str) -> st.SearchStrategy[Any]:
    plausible: dict[str, st.SearchStrategy[Any]] = {
        cells.NUMBER: st.integers(1, 99),
        cells.PROBLEM: plain_text(min_size=1, max_size=300),
        cells.TASK: plain_text(min_size=1, max_size=300).map(lambda t: t + "，拟投入资金20万元"),
        cells.DEADLINE: odd_dates(),
        cells.LEADS: st.sampled_from(["杨立新", "杨立新、吕相阳", "无名氏", "熊", "王五 赵六"]),
        cells.UNITS: st.sampled_from(["基建办", "长宇社区", "各社区", "基建办、长宇社区", "不存在的部门", "园区"]),
        cells.REMARKS: plain_text(max_size=100),
    }
    return st.one_of(plausible[column], any_cell())


def visit_cell(column: str) -> st.SearchStrategy[Any]:
    plausible: dict[str, st.SearchStrategy[Any]] = {
        "姓名": st.sampled_from(["杨立新", "吕相阳", "熊", "陈", "无名氏", " 杨 立 新 "]),
        "日期": odd_dates(),
        "时长": odd_numbers(),
        "开始时间": st.one_of(st.times(), st.sampled_from(["9:00", "9点30", "25:00", "14.30"])),
        "结束时间": st.one_of(st.times(), st.sampled_from(["12:00", "11点", "8:00"])),
        "类型": st.sampled_from(["实地走访", "入户", "座谈", "site_visit", "党建", "不知道"]),
        "地点": st.sampled_from(["长宇社区", "卫王社区", "某某家中", "长宇社区党群服务中心"])
        | plain_text(max_size=250),
        "备注": plain_text(max_size=300),
        "人数": odd_numbers(),
    }
    return st.one_of(plausible[column], any_cell())


def valid_matter_cell(column: str) -> st.SearchStrategy[Any]:
    """Cells an import must accept: a problem, a task, a deadline in the campaign, known leads and units."""
    deadline = st.dates(dt.date(2022, 6, 1), dt.date(2023, 6, 30))
    return {
        cells.NUMBER: st.integers(1, 99),
        cells.PROBLEM: plain_text(min_size=1, max_size=300).filter(str.strip),
        cells.TASK: plain_text(min_size=1, max_size=300).filter(str.strip),
        cells.DEADLINE: st.one_of(deadline, deadline.map(lambda d: f"{d.year}.{d.month}")),
        cells.LEADS: st.sampled_from(["杨立新", "杨立新、吕相阳", ""]),
        cells.UNITS: st.sampled_from(["基建办", "长宇社区", "各社区", "基建办、长宇社区"]),
        cells.REMARKS: plain_text(max_size=100),
    }[column]


def valid_visit_cell(column: str) -> st.SearchStrategy[Any]:
    """Cells a visit import must accept: a known person, a past day, hours, a kind and a place."""
    return {
        "姓名": st.sampled_from(["杨立新", "吕相阳", "邹国柱"]),
        "日期": st.dates(dt.date(2022, 5, 1), dt.date(2022, 12, 30)).map(str),
        "时长": st.sampled_from(["1", "2.5", "半天", "3小时"]),
        "开始时间": st.just(""),
        "结束时间": st.just(""),
        "类型": st.sampled_from(["实地走访", "入户", "座谈", "党建"]),
        "地点": st.sampled_from(["长宇社区", "卫王社区", "某某家中"]),
        "备注": plain_text(max_size=300),
        "人数": st.sampled_from(["", "0", "12"]),
    }[column]


# --- tables and files ------------------------------------------------------------------------------------


@st.composite
def tables(draw: st.DrawFn, columns: list[str], cell: Any, valid_cell: Any) -> list[list[Any]]:
    """A valid table; or a header (right, shuffled, renamed, partial or wrong), maybe a title, and odd rows."""
    if draw(st.booleans()):
        body = draw(st.lists(st.tuples(*[valid_cell(name) for name in columns]), min_size=1, max_size=4))
        return [list(columns), *(list(row) for row in body)]
    header = list(columns)
    mangle = draw(st.sampled_from(["as is", "shuffle", "drop", "decorate", "wrong", "none", "twice"]))
    if mangle == "shuffle":
        header = draw(st.permutations(header))
    elif mangle == "drop":
        header.pop(draw(st.integers(0, len(header) - 1)))
    elif mangle == "decorate":
        header = [f"*{name}（必填）" for name in header]
    elif mangle == "wrong":
        header = draw(st.lists(nasty_text(), min_size=1, max_size=len(header)))
    rows: list[list[Any]] = []
    if draw(st.booleans()):
        rows.append(["附件2：民生实事清单"])
    if mangle != "none":
        rows.append(list(header))
    width = len(header)
    named = [name if name in columns else None for name in header]
    body = draw(
        st.lists(
            st.tuples(*[cell(name) if name else any_cell() for name in named]) if width else st.just(()),
            max_size=5,
        )
    )
    rows.extend(list(row) for row in body)
    if mangle == "twice":
        rows.append(list(header))
        rows.extend(list(row) for row in body)
    return rows


def _text_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def csv_bytes(rows: list[list[Any]], *, encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([_text_cell(c) for c in row] for row in rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # Excel cannot hold control characters either
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)
    if isinstance(value, dt.datetime | dt.date) and not dt.date(1900, 3, 1) <= _day(value) <= dt.date(9999, 1, 1):
        return str(value)
    return value


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def xlsx_bytes(rows: list[list[Any]], *, merge: bool, empty_sheets: int, number_format: str) -> bytes:
    workbook = openpyxl.Workbook()
    for n in range(empty_sheets):
        workbook.create_sheet(f"空白{n}", 0)
    sheet = workbook.worksheets[-1]
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    for column in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        for item in column:
            if isinstance(item.value, dt.datetime | dt.date):
                item.number_format = number_format
    if merge and sheet.max_row >= 3 and sheet.max_column >= 2:
        sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_bytes(rows: list[list[Any]]) -> bytes:
    import docx

    document = docx.Document()
    width = max((len(row) for row in rows), default=1) or 1
    table = document.add_table(rows=0, cols=width)
    for row in rows:
        cells_ = table.add_row().cells
        for index, value in enumerate(row):
            cells_[index].text = ILLEGAL_CHARACTERS_RE.sub("", _text_cell(value))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """The file cut short, with bytes flipped, with NUL or invalid UTF-8 put in: or left as it is."""
    how = draw(st.sampled_from(["intact"] * 4 + ["truncate", "flip", "nul", "invalid utf-8", "late nul"]))
    if how == "truncate" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    if how in ("nul", "invalid utf-8"):
        at = draw(st.integers(0, len(data)))
        return data[:at] + (b"\x00" if how == "nul" else b"\xff\xfe\xc3") + data[at:]
    if how == "late nul" and b"\n" in data:  # past the first 4 KB, where the sniffing for binary files stops
        padded = data.replace(b"\n", b" " * 5000 + b"\n", 1)
        at = draw(st.integers(padded.index(b"\n") + 1, len(padded)))
        return padded[:at] + b"\x00" + padded[at:]
    return data


@st.composite
def files(draw: st.DrawFn, columns: list[str], cell: Any, valid_cell: Any, *, docx: bool) -> tuple[str, bytes]:
    rows = draw(tables(columns, cell, valid_cell))
    kinds = ["csv", "xlsx", "garbage"] + (["docx"] if docx else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "csv":
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-8", "gbk", "utf-16", "latin-1"]))
        data = csv_bytes(rows, encoding=encoding, delimiter=draw(st.sampled_from([",", "\t", ";"])))
        name = draw(st.sampled_from(["清单.csv", "visits.txt", "清单.CSV"]))
    elif kind == "xlsx":
        data = xlsx_bytes(
            rows,
            merge=draw(st.booleans()),
            empty_sheets=draw(st.integers(0, 2)),
            number_format=draw(st.sampled_from(["yyyy-mm-dd", "yyyy-mm", "General", "h:mm"])),
        )
        name = draw(st.sampled_from(["清单.xlsx", "清单.xlsm", "清单.XLSX"]))
    elif kind == "docx":
        data, name = docx_bytes(rows), "清单.docx"
    else:
        data = draw(st.one_of(st.binary(max_size=400), st.binary(max_size=200).map(b"PK\x03\x04".__add__)))
        name = draw(st.sampled_from(["清单.xlsx", "清单.csv", "清单.xls", "清单.docx", "清单", "", "清单.pdf"]))
    return name, draw(damaged(data))


def _coordinator() -> Any:
    return get_user_model().objects.get(username="coordinator")


# --- the services ----------------------------------------------------------------------------------------


def test_the_matter_importer_reports_every_file_and_writes_all_rows_or_none() -> None:
    actor = _coordinator()

    @fuzz_settings(EXAMPLES)
    @given(
        file=files(MATTER_COLUMNS, matter_cell, valid_matter_cell, docx=True),
        create_missing=st.booleans(),
        dry_run=st.booleans(),
    )
    def run(file: tuple[str, bytes], create_missing: bool, dry_run: bool) -> None:
        name, data = file
        with rolled_back():
            before = row_counts()
            report = import_table(name=name, data=data, actor=actor, create_missing=create_missing, dry_run=dry_run)
            if dry_run or not report.ok or not report.written:
                assert not report.written
                assert_unchanged(before, context=f"{name}: {[str(e) for e in report.errors][:3]}")
            else:
                after = row_counts()
                assert after["Matter"] - before["Matter"] == report.new_count
                assert {k for k in after if after[k] != before[k]} <= MATTER_TABLES
                for row in report.rows:
                    if row.matter is not None:
                        row.matter.refresh_from_db()
                        # As read, but for the bidi controls and zero-width characters every text field drops.
                        assert (row.matter.problem, row.matter.task, row.matter.remarks) == (
                            clean_text(row.problem),
                            clean_text(row.task),
                            clean_text(row.remarks),
                        )
                        assert "\x00" not in row.matter.problem + row.matter.task + row.matter.remarks
        count_case("importers:matters")
        if report.written:
            count_case("stored:importers:matters")

    run()


def test_the_visit_importer_reports_every_file_and_writes_all_rows_or_none() -> None:
    actor = _coordinator()

    @fuzz_settings(EXAMPLES)
    @given(
        file=files(VISIT_COLUMNS, visit_cell, valid_visit_cell, docx=False),
        year=st.none() | st.integers(1990, 2110),
        dry_run=st.booleans(),
    )
    def run(file: tuple[str, bytes], year: int | None, dry_run: bool) -> None:
        name, data = file
        with rolled_back():
            before = row_counts()
            report = import_visits(name=name, data=data, actor=actor, year=year, dry_run=dry_run)
            if dry_run or not report.ok or not report.written:
                assert not report.written
                assert_unchanged(before, context=f"{name}: {[str(e) for e in report.errors][:3]}")
            else:
                after = row_counts()
                assert after["Visit"] - before["Visit"] == report.new_count
                for row in report.rows:
                    if row.visit is not None:
                        row.visit.refresh_from_db()
                        assert row.visit.notes == clean_text(row.notes)
                        assert "\x00" not in row.visit.notes + row.visit.place_detail
        count_case("importers:visits")
        if report.written:
            count_case("stored:importers:visits")

    run()


# --- the upload pages ------------------------------------------------------------------------------------


PAGES = {
    "/matters/lists/import/": (MATTER_COLUMNS, matter_cell, valid_matter_cell, True),
    "/fieldwork/visits/import/": (VISIT_COLUMNS, visit_cell, valid_visit_cell, False),
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_the_upload_pages_answer_every_file_and_store_only_confirmed_valid_ones(path: str) -> None:
    columns, cell, valid_cell, docx = PAGES[path]
    client = Client()
    client.force_login(_coordinator())
    token = re.compile(r'name="token" value="([^"]+)"')

    @fuzz_settings(EXAMPLES // 2)
    @given(
        file=files(columns, cell, valid_cell, docx=docx),
        options=st.fixed_dictionaries(
            {},
            optional={
                "create_missing": st.sampled_from(["on", ""]),
                "dry_run": st.sampled_from(["on", ""]),
                "year": st.sampled_from(["2022", "", "²", "1999", "x"]),
                "campaign": st.sampled_from(["", "1", "999999", "a"]),
            },
        ),
        confirm=st.booleans(),
        forged=st.sampled_from(["", "nope", "x" * 500]),
    )
    def run(file: tuple[str, bytes], options: dict[str, str], confirm: bool, forged: str) -> None:
        name, data = file
        with rolled_back():
            before = row_counts()
            response = client.post(path, {**options, "file": SimpleUploadedFile(name or "unnamed", data)})
            assert response.status_code < 500
            found = token.search(response.content.decode())
            if confirm:
                response = client.post(path, {"confirm": "1", "token": found.group(1) if found else forged})
                assert response.status_code < 500
            stored = row_counts() != before
            if stored:
                assert confirm or options.get("dry_run") != "on", "a dry run stored rows"
        count_case(f"importers:upload {path}")
        if stored:
            count_case(f"stored:importers:upload {path}")

    run()


# --- regressions: what the fuzzing found, pinned down --------------------------------------------------------


def _visit_sheet(*rows: list[str]) -> bytes:
    return csv_bytes([VISIT_COLUMNS, *rows], encoding="utf-8", delimiter=",")


def test_a_csv_with_a_nul_past_its_first_4_kb_is_refused_as_a_whole_and_nothing_is_stored() -> None:
    row = ["杨立新", "2022-06-03", "2", "", "", "实地走访", "长宇社区", "走访" + " " * 5000 + "\x00", ""]
    before = row_counts()
    report = import_visits(name="走访.csv", data=_visit_sheet(row), actor=_coordinator())
    assert not report.written and report.file_errors
    matters = csv_bytes(
        [MATTER_COLUMNS, ["1", "路灯不亮" + " " * 5000 + "\x00", "检修", "2022.6", "杨立新", "基建办", ""]],
        encoding="utf-8",
        delimiter=",",
    )
    report_ = import_table(name="清单.csv", data=matters, actor=_coordinator())
    assert not report_.written and report_.file_errors
    assert_unchanged(before)


def test_a_participant_count_in_digits_int_cannot_read_is_a_row_error_not_a_crash() -> None:
    row = ["杨立新", "2022-06-03", "2", "", "", "实地走访", "长宇社区", "", "𐩀"]
    report = import_visits(name="走访.csv", data=_visit_sheet(row), actor=_coordinator(), dry_run=True)
    assert [error.column for error in report.errors] == ["人数"]
