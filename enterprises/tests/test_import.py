"""The enterprise ledger import: messy rows refused with their row and column and nothing written, a known
credit code updates its enterprise, importing again changes nothing, the dry run writes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from enterprises.demo import credit_code
from enterprises.importer import import_ledger
from enterprises.models import EnterpriseContact, EnterpriseProfile
from org.models import Unit

pytestmark = pytest.mark.usefixtures("demo")
HEADER = ["企业名称", "统一社会信用代码", "行业", "规模", "从业人数", "地址", "联系人", "联系电话", "联系领导"]


def _xlsx(*rows: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["长乐山工业园区企业台账（演示）"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NEW = [
    "长乐山铜箔科技有限公司（演示）",
    credit_code(201),
    "铜产业",
    "中型",
    "320",
    "示范区（演示地址）",
    "周经理（演示）",
    "13900000201",
    "杨立新",
]
KNOWN = ["长乐山铜业加工有限公司（演示）", credit_code(4), "铜产业", "大型", "700", "", "", "", ""]


def test_a_ledger_creates_new_enterprises_and_updates_known_ones_by_credit_code() -> None:
    report = import_ledger(name="台账.xlsx", data=_xlsx(NEW, KNOWN), actor=None)
    assert report.ok and report.written, [str(e) for e in report.errors]
    created = EnterpriseProfile.objects.get(credit_code=credit_code(201))
    assert created.unit.name == NEW[0] and created.employees == 320 and str(created.contact_leader) == "杨立新"
    assert created.contacts.get().phone == "13900000201"
    assert EnterpriseProfile.objects.get(unit__ref="demo:enterprise:tongye").employees == 700
    counts = (EnterpriseProfile.objects.count(), EnterpriseContact.objects.count(), Unit.objects.count())
    again = import_ledger(name="台账.xlsx", data=_xlsx(NEW, KNOWN), actor=None)
    assert again.ok
    assert (EnterpriseProfile.objects.count(), EnterpriseContact.objects.count(), Unit.objects.count()) == counts


def test_messy_rows_are_refused_with_their_row_and_column_and_nothing_is_written() -> None:
    wrong_digit = [*NEW[:1], credit_code(202)[:17] + ("0" if credit_code(202)[17] != "0" else "1"), *NEW[2:]]
    rows = [
        NEW,
        wrong_digit,
        ["某企业（演示）", credit_code(203), "造船", "巨型", "很多", "", "", "13900000203", "无此人"],
        [*NEW[:1], credit_code(201), *NEW[2:]],  # the same code again
    ]
    before = (EnterpriseProfile.objects.count(), Unit.objects.count())
    report = import_ledger(name="台账.xlsx", data=_xlsx(*rows), actor=None)
    assert not report.written
    messages = [str(e) for e in report.errors]
    assert any("统一社会信用代码" in m and "4" in m for m in messages), messages  # row 4: the wrong check digit
    assert {e.column for e in report.errors if e.row == 5} >= {"行业", "规模", "从业人数", "联系领导", "联系人"}
    assert report.rows[3].duplicate_of == report.rows[0].number
    assert (EnterpriseProfile.objects.count(), Unit.objects.count()) == before


def test_the_command_runs_dry_and_then_for_real(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "ledger.xlsx"
    path.write_bytes(_xlsx(NEW))
    call_command("import_enterprises", str(path), "--dry-run", stdout=io.StringIO())
    assert not EnterpriseProfile.objects.filter(credit_code=credit_code(201)).exists()
    call_command("import_enterprises", str(path), stdout=io.StringIO())
    assert EnterpriseProfile.objects.filter(credit_code=credit_code(201)).exists()
    bad = Path(str(tmp_path)) / "bad.xlsx"
    bad.write_bytes(_xlsx(["x", "123", "铜产业", "小型", "", "", "", "", ""]))
    with pytest.raises(CommandError):
        call_command("import_enterprises", str(bad), stdout=io.StringIO(), stderr=io.StringIO())


def test_the_coordination_team_uploads_the_ledger_dry_run_first(client: object) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    coordinator = Client()
    coordinator.force_login(get_user_model().objects.get(username="coordinator"))
    upload = SimpleUploadedFile("台账.xlsx", _xlsx(NEW))
    page = coordinator.post("/enterprises/import/", {"file": upload, "dry_run": "on"})
    assert page.status_code == 200 and page.context["report"].ok and not page.context["report"].written
    assert not EnterpriseProfile.objects.filter(credit_code=credit_code(201)).exists()
    page = coordinator.post("/enterprises/import/", {"file": SimpleUploadedFile("台账.xlsx", _xlsx(NEW))})
    assert page.context["report"].written and EnterpriseProfile.objects.filter(credit_code=credit_code(201)).exists()
    leader = Client()
    leader.force_login(get_user_model().objects.get(username="leader"))
    assert leader.get("/enterprises/import/").status_code == 403


POLICY_HEADER = [
    "政策名称",
    "发文单位",
    "文号",
    "年份",
    "有效期起",
    "有效期止",
    "支持方式",
    "金额",
    "适用条件",
    "摘要",
    "申报途径",
]


def _policies_xlsx(*rows: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(POLICY_HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_policy_list_is_imported_with_its_written_conditions_and_matched_and_again_adds_nothing() -> None:
    from enterprises.importer_policies import import_policies
    from enterprises.models import Match, Policy

    row = ["铜箔产品首台套奖励（演示）", "园区（演示）", "长园发〔2022〕演示20号", "2022", "2022-01-01", "", "奖励", "30万元",
           "行业=铜产业; 从业人数>=500; 标签=规上工业", "演示", "向招商中心申报（演示）"]  # fmt: skip
    report = import_policies(name="政策.xlsx", data=_policies_xlsx(row), actor=None)
    assert report.written, [str(e) for e in report.errors]
    policy = Policy.objects.get(title=row[0])
    assert policy.conditions == [
        {"field": "industry", "op": "in", "value": ["copper"]},
        {"field": "employees", "op": "gte", "value": 500},
        {"field": "tags", "op": "has", "value": "above_scale"},
    ]
    assert list(
        Match.objects.filter(policy=policy, qualified=True).values_list("enterprise__unit__ref", flat=True)
    ) == ["demo:enterprise:tongye"]
    again = import_policies(name="政策.xlsx", data=_policies_xlsx(row), actor=None)
    assert again.existing_count == 1 and Policy.objects.filter(title=row[0]).count() == 1


def test_a_policy_list_with_unknown_condition_fields_or_values_is_refused_under_the_column() -> None:
    from enterprises.importer_policies import import_policies
    from enterprises.models import Policy

    rows = [
        ["政策甲（演示）", "园区（演示）", "", "2022", "2022-01-01", "", "补贴", "", "营收>=100", "", ""],
        ["政策乙（演示）", "园区（演示）", "", "22", "2022-01-01", "", "发钱", "很多", "行业=造船", "", ""],
        ["政策丙（演示）", "园区（演示）", "", "2022", "2022-06-01", "2022-01-01", "补贴", "", "", "", ""],
    ]
    before = Policy.objects.count()
    report = import_policies(name="政策.xlsx", data=_policies_xlsx(*rows), actor=None)
    assert not report.written and Policy.objects.count() == before
    by_row = {(e.row, e.column) for e in report.errors}
    assert (2, "适用条件") in by_row and {(3, "年份"), (3, "支持方式"), (3, "金额"), (3, "适用条件")} <= by_row
    assert any(e.row == 4 for e in report.errors)  # ends before it begins: the model's check
