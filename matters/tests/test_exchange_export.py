"""Exporting the three lists in attachment 2's columns: xlsx, docx, csv and pdf, read back by other means."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from campaigns.models import Campaign
from core.documents import DocumentError
from matters.exchange import cells, exporter, importer
from matters.models import Matter
from matters.tests.conftest import exchange_csv, exchange_seed_rows, seed_matters_only
from matters.workflow import Status

pytestmark = pytest.mark.usefixtures("exchange_english")

TASK_COLUMNS = ["序号", "问题清单", "任务清单", "完成时限", "责任领导", "责任部门社区", "备注"]


def read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so that Excel and WPS read the Chinese"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_docx(data: bytes) -> list[list[str]]:
    import docx

    table = docx.Document(io.BytesIO(data)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def export(list_kind: str, file_format: str, **spec: object) -> bytes:
    return exporter.export_bytes(exporter.ListSpec(list_kind=list_kind, **spec), file_format)  # type: ignore[arg-type]


def comparable(rows: list[list[str]]) -> list[tuple[str, str, str, frozenset[str], str]]:
    """Problem, task, deadline text, the set of leads, the units text: what the round trip must keep."""
    header = rows[0]
    index = {name: header.index(name) for name in TASK_COLUMNS}
    return [
        (
            row[index["问题清单"]],
            row[index["任务清单"]],
            row[index["完成时限"]],
            frozenset(cells.split_names(row[index["责任领导"]])),
            row[index["责任部门社区"]],
        )
        for row in rows[1:]
    ]


def seed_shifted(months: int) -> list[list[str]]:
    from core.dates import add_months

    rows = exchange_seed_rows()
    for row in rows[1:]:
        deadline, precision = cells.parse_deadline(row[3])
        row[3] = cells.format_deadline(add_months(deadline, months), precision)
    return rows


@pytest.mark.parametrize(("file_format", "read"), [("xlsx", read_xlsx), ("csv", read_csv)])
def test_seed_csv_imported_then_exported_as_the_task_list_reads_back_as_the_seed(
    exchange_org: Campaign, file_format: str, read: object
) -> None:
    report = importer.import_table(name="附件二.csv", data=exchange_csv(exchange_seed_rows()), actor=None)
    assert report.written, report.errors
    rows = read(export("tasks", file_format))  # type: ignore[operator]
    assert rows[0][0] == "长乐山工业园区党委 任务清单"  # the title row above the header
    assert rows[1] == TASK_COLUMNS
    assert comparable(rows[1:]) == comparable(exchange_seed_rows())
    assert [r[0] for r in rows[2:]] == [str(n) for n in range(1, 18)]
    assert rows[2][4] == "邹国柱\n曾湛涛"  # two leads on two lines, as the seed shows them
    assert rows[9][5] == "基建办、各社区"


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "docx"])
def test_the_demo_task_list_reproduces_the_seed_table(exchange_demo: None, file_format: str) -> None:
    read = {"xlsx": read_xlsx, "csv": read_csv, "docx": lambda d: [[""], *read_docx(d)]}[file_format]
    rows = read(export("tasks", file_format))
    assert comparable(rows[1:]) == comparable(exchange_seed_rows())


def test_a_shifted_demo_exports_the_seed_deadlines_moved_by_the_same_months(demo: None) -> None:
    call_command("load_demo", shift_months=7, stdout=io.StringIO())
    seed_matters_only()
    rows = read_csv(export("tasks", "csv"))
    assert comparable(rows[1:]) == comparable(seed_shifted(7))
    assert rows[2][3] == "2023.1"  # 2022.6 + 7 months, still a month


def test_the_exported_table_imports_back_as_already_imported(exchange_demo: None) -> None:
    for file_format in ("xlsx", "docx", "csv"):
        report = importer.import_plan(name=f"tasks.{file_format}", data=export("tasks", file_format))
        assert report.ok, report.errors
        assert report.existing_count == 17


def test_the_xlsx_export_has_a_bold_frozen_header_wrapped_text_and_text_deadlines(exchange_demo: None) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export("tasks", "xlsx"))).worksheets[0]
    assert sheet.freeze_panes == "A3"
    assert sheet["A2"].font.b and sheet["G2"].value == "备注"
    assert sheet["B3"].alignment.wrap_text
    assert sheet["D3"].value == "2022.6" and sheet["D3"].data_type == "s"  # text, never the number 2022.6
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


def test_the_docx_export_is_a_landscape_word_table_with_one_paragraph_per_lead(exchange_demo: None) -> None:
    import docx
    from docx.enum.section import WD_ORIENT

    document = docx.Document(io.BytesIO(export("tasks", "docx")))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    assert document.paragraphs[0].text == "长乐山工业园区党委 任务清单"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == TASK_COLUMNS
    assert [p.text for p in table.rows[1].cells[4].paragraphs] == ["邹国柱", "曾湛涛"]
    assert table.rows[1].cells[3].text == "2022.6"


def test_the_pdf_export_is_a_pdf_with_an_embedded_font(exchange_demo: None) -> None:
    data = export("effects", "pdf")
    assert data.startswith(b"%PDF-")
    assert b"/FontFile" in data  # the CJK font is embedded (subset), so any reader shows the Chinese
    assert data.rstrip().endswith(b"%%EOF")


def test_the_pdf_export_without_the_cjk_font_names_the_package_to_install(exchange_demo: None, tmp_path: Path) -> None:
    with override_settings(MINQING_CJK_FONT="/nonexistent/NotoSansCJK-Regular.ttc"):
        with pytest.raises(DocumentError, match="apt-get install fonts-noto-cjk"):
            export("tasks", "pdf")
        with pytest.raises(CommandError, match="apt-get install fonts-noto-cjk"):
            call_command("export_list", "--list", "tasks", "-o", str(tmp_path / "t.pdf"), stdout=io.StringIO())
    assert not (tmp_path / "t.pdf").exists()
    assert list(tmp_path.iterdir()) == []  # no half-written file left behind


def test_the_effect_list_adds_completion_date_effect_and_satisfaction(demo: None) -> None:
    with time_machine.travel(dt.datetime(2022, 6, 28, 10, 0, tzinfo=dt.UTC), tick=False):
        call_command("load_demo", shift_months=0, stdout=io.StringIO())
    seed_matters_only()
    rows = read_csv(export("effects", "csv"))
    assert rows[1] == [
        "序号",
        "问题清单",
        "任务清单",
        "完成时限",
        "责任领导",
        "责任部门社区",
        "完成时间",
        "效果",
        "满意度",
        "备注",
    ]
    first = dict(zip(rows[1], rows[2], strict=True))
    assert first["完成时限"] == "2022.6"
    # The demo back-dates the work: completed before the end-of-June deadline and no later than "now".
    year, month, day = (int(part) for part in first["完成时间"].split("."))
    assert dt.date(2022, 5, 25) < dt.date(year, month, day) <= dt.date(2022, 6, 28)
    assert first["效果"].startswith("园区综治中心、企业服务中心")
    assert first["满意度"] == "满意"
    assert {r[8] for r in rows[2:]} == {"满意", "基本满意", ""}  # verified and completed ones are not rated yet
    assert len(rows) - 2 == Matter.objects.filter(status__in=[Status.COMPLETED, Status.VERIFIED, Status.CLOSED]).count()


def test_the_public_version_leaves_out_matters_not_marked_public_and_never_shows_reporters(
    exchange_demo: None,
) -> None:
    hidden = Matter.objects.get(problem="居民反映一品铜花无活动场所。")
    Matter.objects.filter(pk=hidden.pk).update(is_public=False)
    everything = export("problems", "csv").decode("utf-8-sig")
    public = export("problems", "csv", public_only=True).decode("utf-8-sig")
    assert "一品铜花" in everything and "一品铜花" not in public
    assert "长宇新城3栋楼道灯不亮" in public  # a resident's report is listed…
    assert "居民（演示）" not in everything  # …but never its reporter
    assert "reporter" not in everything


def test_a_month_unit_or_community_narrows_the_list_and_names_it_in_the_title(exchange_demo: None) -> None:
    from org.models import Unit

    jijian, changyu = Unit.objects.get(name="基建办"), Unit.objects.get(name="长宇社区")
    rows = read_csv(export("tasks", "csv", unit=jijian))
    assert rows[0] == ["长乐山工业园区党委 任务清单（基建办）"]
    assert len(rows) - 2 == 5  # rows 3, 8, 11, 12, 15 of the seed
    rows = read_csv(export("tasks", "csv", community=changyu))
    assert len(rows) - 2 == 8  # its own 5 (rows 4, 6, 9, 10, 16) and the 3 of 各社区 (8, 11, 12)
    assert all("长宇社区" in r[5] or "各社区" in r[5] for r in rows[2:])
    rows = read_csv(export("problems", "csv", month=dt.date(2022, 5, 1)))
    assert rows[0] == ["长乐山工业园区党委 问题清单（2022年5月）"]
    assert len(rows) - 2 == 17
    assert len(read_csv(export("problems", "csv", month=dt.date(2022, 6, 1)))) - 2 == 3  # 2 reported, 1 accepted


@pytest.mark.parametrize("file_format", exporter.FORMATS)
def test_the_export_list_command_writes_each_format(exchange_demo: None, tmp_path: Path, file_format: str) -> None:
    out = io.StringIO()
    target = tmp_path / f"list.{file_format}"
    call_command(
        "export_list", "--list", "tasks", "--format", file_format, "-o", str(target), "--unit", "基建办", stdout=out
    )
    assert "5 rows written" in out.getvalue()
    assert target.stat().st_size > 0
    assert list(tmp_path.iterdir()) == [target]


def test_the_export_list_command_takes_ids_months_and_the_public_flag(exchange_demo: None, tmp_path: Path) -> None:
    from org.models import Unit

    target = tmp_path / "problems.csv"
    changyu = Unit.objects.get(name="长宇社区")
    call_command(
        "export_list",
        "--list=problems",
        "-o",
        str(target),
        "--month",
        "2022-05",
        "--community",
        str(changyu.pk),
        "--public-only",
        stdout=io.StringIO(),
    )
    rows = read_csv(target.read_bytes())
    assert rows[0] == ["长乐山工业园区党委 问题清单（2022年5月，长宇社区）"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "环保办"], "No unit with the id or name “环保办”"),
        (["--community", "基建办"], "No community with the id or name “基建办”"),
        (["--month", "June"], "Cannot read the month “June”"),
        (["--format", "xlsx", "-o", "/nonexistent-dir/x.xlsx"], "does not exist"),
    ],
)
def test_the_export_list_command_refuses_what_it_cannot_find(
    exchange_org: Campaign, tmp_path: Path, args: list[str], message: str
) -> None:
    if "-o" not in args:
        args = [*args, "-o", str(tmp_path / "x.csv")]
    with pytest.raises(CommandError, match=message):
        call_command("export_list", *args, stdout=io.StringIO())


def test_an_output_without_a_known_extension_needs_a_format(exchange_org: Campaign, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Give --format"):
        call_command("export_list", "-o", str(tmp_path / "list.txt"), stdout=io.StringIO())
