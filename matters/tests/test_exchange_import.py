"""Importing attachment-2 tables with `manage.py import_list`: formats, messy cells, all or nothing, bad input."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from campaigns.models import Campaign
from matters.exchange import importer
from matters.models import Channel, Matter, Precision
from matters.tests.conftest import exchange_csv, exchange_docx, exchange_seed_rows, exchange_xlsx
from matters.workflow import Status
from org.models import Person, PersonCategory, Unit, UnitKind

pytestmark = pytest.mark.usefixtures("exchange_english")

HEADER = ["序号", "问题清单", "任务清单", "完成时限", "责任领导", "责任部门社区", "备注"]


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_list", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: Path, *args: str) -> str:
    """Run the import expecting a refusal (exit code 1); return everything it said."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_list", str(path), *args, stdout=out, stderr=err)
    assert caught.value.returncode == 1
    return out.getvalue() + err.getvalue() + str(caught.value)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


def one_row(**cells: str) -> list[list[str]]:
    row = dict(zip(HEADER, ["1", "居民反映路灯不亮。", "维修路灯。", "2022.7", "杨立新", "基建办", ""], strict=True))
    row.update(cells)
    return [HEADER, [row[c] for c in HEADER]]


def by_serial() -> dict[int, Matter]:
    matters = Matter.objects.filter(channel=Channel.IMPORT).order_by("reported_at", "id")
    return dict(enumerate(matters, start=1))


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "docx"])
def test_the_seed_table_imports_as_17_assigned_matters_from_each_format(
    exchange_org: Campaign, tmp_path: Path, file_format: str
) -> None:
    rows = exchange_seed_rows()
    makers: dict[str, Callable[[list[list[str]]], bytes]] = {
        "csv": exchange_csv,
        "xlsx": exchange_xlsx,
        "docx": exchange_docx,
    }
    data = makers[file_format](rows)
    out, _err = run(write(tmp_path, f"附件二.{file_format}", data))
    assert "Imported 17 matters" in out
    matters = by_serial()
    assert len(matters) == 17
    assert all(m.status == Status.ASSIGNED and m.campaign == exchange_org for m in matters.values())
    first = matters[1]
    assert first.problem == "园区无综治中心阵地,企业服务中心不够靠前。"
    assert first.task.startswith("选址原庙宇垴社区办公楼")
    assert (first.deadline, first.deadline_precision) == (dt.date(2022, 6, 1), Precision.MONTH)
    assert {p.name for p in first.leads.all()} == {"邹国柱", "曾湛涛"}
    assert {u.name for u in first.units.all()} == {"政法办", "经济办"}
    assert {p.name for p in matters[15].leads.all()} == {"曾湛涛", "杨立新"}
    assert matters[8].all_communities and [u.name for u in matters[8].units.all()] == ["基建办"]
    assert not matters[17].leads.exists()  # the seed names no lead: flagged as needing one
    assert matters[4].budget_yuan == Decimal("200000")
    assert matters[9].budget_yuan == Decimal("60000")
    assert matters[11].budget_yuan is None  # 拟投入资金对… states no sum
    assert [t.action for t in first.transitions.all()] == ["", "accept", "assign"]
    assert all(t.actor_name == "system" for t in first.transitions.all())


def test_a_word_table_below_a_title_with_leads_on_separate_lines_is_read(
    exchange_org: Campaign, tmp_path: Path
) -> None:
    report = importer.import_plan(name="附件二.docx", data=exchange_docx(exchange_seed_rows()))
    assert report.ok, report.errors
    assert report.file_format == "docx"
    assert report.rows[0].lead_names == ["邹国柱", "曾湛涛"]
    assert [r.serial for r in report.rows] == [str(n) for n in range(1, 18)]


def test_the_header_is_found_below_a_title_row_with_spaces_and_full_width_characters(
    exchange_org: Campaign, tmp_path: Path
) -> None:
    rows = one_row(**{"完成时限": "２０２２年７月", "责任部门社区": "基建办，各社区"})
    rows[0] = ["序 号", " 问题清单 ", "任务清单", "完成时限", "责任领导", "责任部门/社区", "备　注"]
    data = exchange_csv(rows, title="长乐山工业园区领导干部实践活动民生实事清单")
    report = importer.import_plan(name="list.csv", data=data)
    assert report.ok, report.errors
    assert report.header_row == 2
    row = report.rows[0]
    assert (row.deadline, row.precision) == (dt.date(2022, 7, 1), Precision.MONTH)
    assert row.all_communities and row.unit_names == ["基建办"]


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gb18030", False)], ids=["utf8", "utf8-bom", "gb18030"]
)
def test_csv_is_read_as_utf8_with_or_without_bom_or_as_gb18030(
    exchange_org: Campaign, encoding: str, bom: bool
) -> None:
    data = exchange_csv(exchange_seed_rows(), encoding=encoding)
    report = importer.import_plan(name="附件二.csv", data=(b"\xef\xbb\xbf" if bom else b"") + data)
    assert report.ok, report.errors
    assert len(report.rows) == 17
    assert report.rows[0].problem == "园区无综治中心阵地,企业服务中心不够靠前。"


def test_excel_date_and_number_cells_keep_their_precision(exchange_org: Campaign) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append([1, "问题一", "任务一", dt.datetime(2022, 6, 1), "杨立新", "基建办", None])
    sheet["D2"].number_format = "yyyy-mm"  # typed as 2022-06: Excel made it a date, shown as a month
    sheet.append([2, "问题二", "任务二", dt.datetime(2022, 6, 30), "杨立新", "基建办", None])
    sheet["D3"].number_format = "yyyy-mm-dd"
    sheet.append([3, "问题三", "任务三", 2022.6, "杨立新", "基建办", None])  # typed 2022.6: Excel made it a number
    out = io.BytesIO()
    workbook.save(out)
    report = importer.import_plan(name="list.xlsx", data=out.getvalue())
    assert report.ok, report.errors
    read = [(r.deadline, r.precision) for r in report.rows]
    assert read == [
        (dt.date(2022, 6, 1), Precision.MONTH),
        (dt.date(2022, 6, 30), Precision.DAY),
        (dt.date(2022, 6, 1), Precision.MONTH),
    ]


def test_a_dry_run_shows_each_row_and_writes_nothing(exchange_org: Campaign, tmp_path: Path) -> None:
    events = AuditEvent.objects.count()
    out, _err = run(write(tmp_path, "附件二.csv", exchange_csv(exchange_seed_rows())), "--dry-run")
    assert not Matter.objects.exists()
    assert AuditEvent.objects.count() == events
    assert "Dry run: 17 rows would be imported" in out
    first = out.splitlines()[1]
    assert (
        "园区无综治中心阵地" in first and "2022.6" in first and "邹国柱、曾湛涛" in first and "政法办、经济办" in first
    )
    assert "200,000" in out  # row 4's budget
    assert "none (needs a lead)" in out  # row 17


def test_one_bad_row_makes_the_whole_import_write_nothing(exchange_org: Campaign, tmp_path: Path) -> None:
    rows = exchange_seed_rows()
    rows[5][3] = "明年六月"  # the 5th matter, the 6th line of the file
    events = AuditEvent.objects.count()
    said = refused(write(tmp_path, "附件二.csv", exchange_csv(rows)))
    assert "Row 6, column “完成时限”" in said
    assert "明年六月" in said
    assert "nothing was imported" in said
    assert not Matter.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_failure_while_writing_undoes_the_rows_already_written(
    exchange_org: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importer.ListImporter.save
    calls = {"n": 0}

    def fail_on_the_third(self: importer.ListImporter, row: importer.PlannedRow, **kwargs: object) -> Matter:
        calls["n"] += 1
        if calls["n"] == 3:
            from django.core.exceptions import ValidationError

            raise ValidationError({"deadline": "refused by the service"})
        return real(self, row, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer.ListImporter, "save", fail_on_the_third)
    report = importer.import_table(name="附件二.csv", data=exchange_csv(exchange_seed_rows()), actor=None)
    assert not report.written
    assert [str(e) for e in report.errors] == ["Row 4, column “完成时限”: refused by the service"]
    assert not Matter.objects.exists()


def test_importing_the_same_table_twice_creates_nothing_new(exchange_org: Campaign, tmp_path: Path) -> None:
    path = write(tmp_path, "附件二.csv", exchange_csv(exchange_seed_rows()))
    run(path)
    out, _err = run(path)
    assert Matter.objects.count() == 17
    assert out.count("[already imported]") == 17
    assert "Imported 0 matters; 17 rows were already imported." in out
    # Another layout of the same table (xlsx, extra spaces around the problem) is the same table.
    rows = exchange_seed_rows()
    rows[1][1] = f"  {rows[1][1]} "
    out, _err = run(write(tmp_path, "附件二.xlsx", exchange_xlsx(rows)))
    assert Matter.objects.count() == 17


def test_the_same_problem_twice_in_one_file_is_imported_once(exchange_org: Campaign, tmp_path: Path) -> None:
    rows = [*one_row(), one_row(序号="2")[1]]
    out, _err = run(write(tmp_path, "list.csv", exchange_csv(rows)))
    assert "[repeats row 2]" in out
    assert Matter.objects.count() == 1


def test_unknown_people_and_units_are_reported_not_invented(exchange_org: Campaign, tmp_path: Path) -> None:
    people, units = Person.objects.count(), Unit.objects.count()
    said = refused(
        write(tmp_path, "list.csv", exchange_csv(one_row(责任领导="王小明", 责任部门社区="环保办、新港社区")))
    )
    assert "Row 2, column “责任领导”: Nobody named “王小明”" in said
    assert "Row 2, column “责任部门社区”: No unit named “环保办”" in said
    assert "“新港社区”" in said
    assert (Person.objects.count(), Unit.objects.count()) == (people, units)
    assert not Matter.objects.exists()


def test_create_missing_adds_leaders_to_the_root_and_departments_or_communities(
    exchange_org: Campaign, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "list.csv", exchange_csv(one_row(责任领导="王小明、杨立新", 责任部门社区="环保办、新港社区"))
    )
    out, _err = run(path, "--create-missing", "--dry-run")
    assert "to create: 王小明、环保办、新港社区" in out
    assert not Person.objects.filter(name="王小明").exists()
    out, _err = run(path, "--create-missing")
    root = exchange_org.organiser
    person = Person.objects.get(name="王小明")
    assert (person.unit, person.category) == (root, PersonCategory.LEADER)
    assert Unit.objects.get(name="环保办").kind == UnitKind.DEPARTMENT
    assert Unit.objects.get(name="新港社区").kind == UnitKind.COMMUNITY
    assert Unit.objects.get(name="新港社区").parent == root
    matter = Matter.objects.get()
    assert {p.name for p in matter.leads.all()} == {"王小明", "杨立新"}
    assert AuditEvent.objects.filter(action="org.person.create", target_id=str(person.pk)).exists()


def test_a_missing_lead_is_allowed_and_leaves_the_matter_needing_one(exchange_org: Campaign, tmp_path: Path) -> None:
    run(write(tmp_path, "list.csv", exchange_csv(one_row(责任领导=""))))
    assert not Matter.objects.get().leads.exists()


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("问题清单", "", "Row 2, column “问题清单”: The problem is empty."),
        ("任务清单", "", "Row 2, column “任务清单”: The task is empty."),
        ("完成时限", "", "Row 2, column “完成时限”: The deadline is empty."),
        ("完成时限", "2022.13", "Row 2, column “完成时限”: Cannot read “2022.13”"),
        ("责任部门社区", "", "Row 2, column “责任部门社区”: Name at least one"),
    ],
)
def test_a_row_missing_what_assignment_needs_is_refused(
    exchange_org: Campaign, tmp_path: Path, column: str, value: str, expected: str
) -> None:
    said = refused(write(tmp_path, "list.csv", exchange_csv(one_row(**{column: value}))))
    assert expected in said
    assert not Matter.objects.exists()


def test_the_campaign_option_chooses_the_campaign_and_an_unknown_one_is_refused(
    exchange_org: Campaign, tmp_path: Path
) -> None:
    path = write(tmp_path, "list.csv", exchange_csv(one_row()))
    with pytest.raises(CommandError, match="No campaign with the id 999"):
        run(path, "--campaign", "999")
    run(path, "--campaign", str(exchange_org.pk))
    assert Matter.objects.get().campaign == exchange_org


def docx_without_table() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("附件二: 问题清单 任务清单 完成时限")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


BAD_FILES = [
    ("picture.xlsx", png, "is not an Excel workbook"),
    ("picture.docx", png, "is not a Word document"),
    ("picture.csv", png, "not a text (CSV) table"),
    ("empty.xlsx", lambda: b"", "The file is empty."),
    ("empty.csv", lambda: b"", "The file is empty."),
    ("notes.docx", docx_without_table, "The document has no table"),
    ("list.xls", lambda: b"\xd0\xcf\x11\xe0", "Old .xls files cannot be read"),
    ("list.pdf", lambda: b"%PDF-1.4", "Upload an .xlsx, .docx or .csv file"),
    ("word.xlsx", lambda: exchange_docx(exchange_seed_rows()), "is not an Excel workbook"),
    ("no-header.csv", lambda: "甲,乙\n1,2\n".encode(), "No header row found"),
    ("header-only.csv", lambda: exchange_csv([HEADER]), "a header but no rows"),
    (
        "missing-columns.csv",
        lambda: exchange_csv(
            [[c for c in HEADER if c not in ("完成时限", "责任领导")], ["1", "问题", "任务", "基建办", ""]]
        ),
        "has no column “完成时限”、“责任领导”",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_file_that_is_not_a_list_table_is_refused_with_a_clear_message(
    exchange_org: Campaign, tmp_path: Path, name: str, make: object, message: str
) -> None:
    said = refused(write(tmp_path, name, make()))  # type: ignore[operator]
    assert message in said
    assert not Matter.objects.exists()


def test_a_file_over_the_upload_limit_is_refused(exchange_org: Campaign, tmp_path: Path) -> None:
    rows = exchange_seed_rows()
    data = exchange_csv(rows) + b"\n" * (20 * 1024 * 1024)
    said = refused(write(tmp_path, "big.csv", data))
    assert "larger than 10 MB" in said
    assert not Matter.objects.exists()


def test_a_missing_file_is_refused(exchange_org: Campaign, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "nothing.csv")


def test_an_imported_effect_list_is_read_ignoring_its_extra_columns(exchange_org: Campaign) -> None:
    rows = [
        ["序号", "问题清单", "任务清单", "完成时限", "责任领导", "责任部门社区", "完成时间", "效果", "满意度", "备注"],
        ["1", "问题", "任务", "2022.6.30", "杨立新", "基建办", "2022.6.28", "已完成", "满意", "备注一"],
    ]
    report = importer.import_plan(name="effects.csv", data=exchange_csv(rows))
    assert report.ok, report.errors
    assert (report.rows[0].precision, report.rows[0].remarks) == (Precision.DAY, "备注一")


@pytest.mark.parametrize("name", ["附件二.xlsx", "附件二.docx", "附件二.csv"])
def test_a_damaged_file_is_refused_with_a_message_never_a_crash(exchange_org: Campaign, name: str) -> None:
    from core.tables import reader

    layout = importer.ListImporter.layout()
    makers: dict[str, Callable[[list[list[str]]], bytes]] = {
        "xlsx": exchange_xlsx,
        "docx": exchange_docx,
        "csv": exchange_csv,
    }
    make = makers[name.rsplit(".", 1)[1]]
    whole = make(exchange_seed_rows())
    for cut in (10, 100, len(whole) // 3, len(whole) // 2, len(whole) - 30):
        try:
            table = reader.read_table(name, whole[:cut], layout)
        except reader.TableError as exc:
            assert exc.message
        else:  # a cut CSV is still a (shorter) table
            assert name.endswith(".csv") and len(table.rows) < 17
    damaged = bytearray(whole)
    damaged[len(damaged) // 2 : len(damaged) // 2 + 64] = b"\xff" * 64
    report = importer.import_plan(name=name, data=bytes(damaged))
    assert report.errors or name.endswith(".csv")


def test_a_work_team_is_refused_as_a_responsible_unit_even_with_create_missing(
    exchange_org: Campaign, tmp_path: Path
) -> None:
    path = write(tmp_path, "list.csv", exchange_csv(one_row(责任部门社区="综合协调专班")))
    said = refused(path, "--create-missing")
    assert "“综合协调专班” is a work team" in said
    assert not Matter.objects.exists()


def test_a_name_too_long_to_create_is_refused(exchange_org: Campaign, tmp_path: Path) -> None:
    long_name = "很长的部门名称" * 10
    said = refused(write(tmp_path, "list.csv", exchange_csv(one_row(责任部门社区=long_name))), "--create-missing")
    assert "is too long to be a name" in said
    assert not Unit.objects.filter(name=long_name).exists()


def test_a_refusal_while_creating_missing_units_writes_nothing(
    exchange_org: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ValidationError

    def refuse(**kwargs: object) -> Unit:
        raise ValidationError({"name": "A unit with this name already exists here."})

    monkeypatch.setattr(importer.org_services, "unit_create", refuse)
    rows = one_row(责任领导="王小明", 责任部门社区="新港社区")
    report = importer.import_table(name="list.csv", data=exchange_csv(rows), actor=None, create_missing=True)
    assert [str(e) for e in report.errors] == ["A unit with this name already exists here."]
    assert not Person.objects.filter(name="王小明").exists()
    assert not Matter.objects.exists()
