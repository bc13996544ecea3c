"""Import a policy list (.xlsx or .csv) on core.tables: all rows or none; a policy imported before is left alone.

Columns: 政策名称, 发文单位, 文号, 年份, 有效期起, 有效期止, 支持方式, 金额, 适用条件, 摘要, 申报途径. The conditions are
written the way a person would: ``行业=铜产业,新材料; 从业人数>=100; 标签=高新技术企业; 规模=中型,小型; 阶段=投产``
(names of industries, tags, sizes and stages as the park writes them; ≥/≤ or >=/<= for numbers; 注册资本 in
10,000 yuan), and are checked like every policy's (unknown fields or values refused under the column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from core.tables import Column, Row, SourceRow, TableImporter, TableReport, cells
from core.types import Actor
from enterprises import services
from enterprises.models import BenefitKind, EnterpriseSize, Industry, Policy, ProjectStage, Tag

TITLE, ISSUER, NUMBER, YEAR, FROM, TO, BENEFIT, AMOUNT, CONDITIONS, SUMMARY, ROUTE = (
    "政策名称", "发文单位", "文号", "年份", "有效期起", "有效期止", "支持方式", "金额", "适用条件", "摘要", "申报途径",
)  # fmt: skip
BENEFITS = {"补贴": BenefitKind.SUBSIDY, "税收减免": BenefitKind.TAX_RELIEF, "减税": BenefitKind.TAX_RELIEF,
            "贷款贴息": BenefitKind.LOAN_INTEREST, "贴息": BenefitKind.LOAN_INTEREST, "奖励": BenefitKind.AWARD,
            "服务": BenefitKind.SERVICE, "其他": BenefitKind.OTHER}  # fmt: skip
FIELD_NAMES = {"行业": "industry", "规模": "size", "阶段": "stage", "项目阶段": "stage", "从业人数": "employees",
               "人数": "employees", "注册资本": "registered_capital", "标签": "tags"}  # fmt: skip
_PART = re.compile(r"^\s*([^=<>≥≤]+?)\s*(>=|<=|≥|≤|=)\s*(.+?)\s*$")


def _names(choices: list[tuple[str, Any]], extra: dict[str, str]) -> dict[str, str]:
    return {str(label): value for value, label in choices} | {value: value for value, _l in choices} | extra


def parse_conditions(text: str) -> list[dict[str, Any]]:
    """The conditions written in a cell, in their stored form; a CellError says which part is wrong."""
    sizes = _names(EnterpriseSize.choices, {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"})
    stages = _names(ProjectStage.choices, {"签约": "signed", "在建": "building", "投产": "producing"})
    industries = {i.name: i.code for i in Industry.objects.all()} | {i.code: i.code for i in Industry.objects.all()}
    tags = {t.name: t.code for t in Tag.objects.all()} | {t.code: t.code for t in Tag.objects.all()}
    known = {"industry": industries, "size": sizes, "stage": stages, "tags": tags}
    conditions: list[dict[str, Any]] = []
    for part in [p for p in re.split(r"[;；\n]", text or "") if p.strip()]:
        match = _PART.match(part)
        name = FIELD_NAMES.get(match.group(1).strip()) if match else None
        if match is None or name is None:
            raise cells.CellError(
                _("Write each condition as 字段=值 or 字段>=数 (字段: %(fields)s); “%(part)s” is not one.")
                % {"fields": "、".join(FIELD_NAMES), "part": part.strip()}
            )
        op, value = match.group(2), match.group(3)
        if name in ("employees", "registered_capital"):
            try:
                number = Decimal(value)
            except InvalidOperation as exc:
                raise cells.CellError(_("“%(value)s” is not a number.") % {"value": value}) from exc
            conditions.append({"field": name, "op": "gte" if op in (">=", "≥", "=") else "lte", "value": str(number)})
            continue
        values = cells.split_names(value)
        unknown = [v for v in values if v not in known[name]]
        if unknown or op != "=":
            raise cells.CellError(
                _("“%(value)s” is not a known value of %(field)s.")
                % {"value": (unknown or [value])[0], "field": match.group(1)}
            )
        codes = [known[name][v] for v in values]
        if name == "tags":
            conditions += [{"field": "tags", "op": "has", "value": code} for code in codes]
        else:
            conditions.append({"field": name, "op": "in", "value": codes})
    return conditions


def _year(text: str) -> int:
    raw = cells.plain(text).removesuffix("年")
    if not (raw.isdigit() and 1990 <= int(raw) <= 2100):
        raise cells.CellError(_("Write the year as four digits."))
    return int(raw)


def _amount(text: str) -> Decimal | None:
    raw = cells.plain(text).removesuffix("万元").removesuffix("万")
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise cells.CellError(_("Write the amount in 10,000 yuan as a number.")) from exc


def _optional_date(text: str) -> Any:
    return cells.parse_date(text) if cells.plain(text) else None


def _benefit(text: str) -> str:
    found = BENEFITS.get(cells.plain(text))
    if found is None:
        raise cells.CellError(_("Write one of %(kinds)s.") % {"kinds": "、".join(BENEFITS)})
    return found


@dataclass
class PolicyRow(Row):
    title: str = ""
    issuer: str = ""
    doc_number: str = ""
    year: int = 0
    valid_from: Any = None
    valid_to: Any = None
    benefit_kind: str = ""
    benefit_amount: Decimal | None = None
    conditions: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""
    route: str = ""


class PolicyImporter(TableImporter[PolicyRow]):
    columns = [
        Column(TITLE, synonyms=("政策", "名称", "标题"), required=True, attr="title", fields=("title",)),
        Column(ISSUER, synonyms=("发文机关", "发布单位"), required=True, attr="issuer", fields=("issuer",)),
        Column(NUMBER, synonyms=("发文字号",), attr="doc_number", fields=("doc_number",)),
        Column(YEAR, synonyms=("年度",), required=True, attr="year", parse=_year, fields=("year",)),
        Column(FROM, synonyms=("生效日期", "开始日期"), required=True, attr="valid_from", parse=cells.parse_date, fields=("valid_from",)),
        Column(TO, synonyms=("截止日期", "失效日期"), attr="valid_to", parse=_optional_date, fields=("valid_to",)),
        Column(BENEFIT, synonyms=("支持类型", "扶持方式"), required=True, attr="benefit_kind", parse=_benefit, fields=("benefit_kind",)),
        Column(AMOUNT, synonyms=("金额（万元）", "支持金额"), attr="benefit_amount", parse=_amount, fields=("benefit_amount",)),
        Column(CONDITIONS, synonyms=("申报条件", "条件"), attr="conditions", parse=parse_conditions, fields=("conditions",)),
        Column(SUMMARY, synonyms=("内容摘要", "主要内容"), attr="summary", fields=("summary",)),
        Column(ROUTE, synonyms=("申报方式",), attr="route", fields=("route",)),
    ]  # fmt: skip
    row_class = PolicyRow
    format_hint = gettext_lazy("Upload the policy list as an .xlsx or .csv file.")
    model = Policy
    key_field = "ref"

    def read(self, row: PolicyRow, source: SourceRow) -> None:
        row.title = cells.normalise_space(row.title)

    def key(self, row: PolicyRow) -> str:
        return "import:" + cells.digest("enterprises.policy", cells.name_key(row.title), cells.plain(row.doc_number))

    def save(self, row: PolicyRow, *, actor: Actor) -> Policy:
        fields = {name: getattr(row, name) for name in
                  ("title", "issuer", "doc_number", "year", "valid_from", "valid_to", "benefit_kind", "benefit_amount",
                   "conditions", "summary", "route")}  # fmt: skip
        return services.policy_create(actor=actor, ref=row.key, **fields)

    def record(self, report: TableReport, *, actor: Actor) -> None:
        audit_record(actor=actor, action="enterprises.policy_import", after=self.summary(report))


def import_policies(*, name: str, data: bytes, actor: Actor, dry_run: bool = False) -> TableReport:
    report: TableReport = PolicyImporter().run(name=name, data=data, actor=actor, dry_run=dry_run)
    return report
