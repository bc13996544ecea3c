"""Import the park's enterprise ledger (.xlsx or .csv) on core.tables: all rows or none, a dry run first.

Columns: 企业名称, 统一社会信用代码, 行业, 规模, 从业人数, 地址, 联系人, 联系电话, 联系领导. A row is its enterprise by
the credit code: a code the park knows updates that enterprise (its name, industry, size, employees, address,
contact leader; a contact not yet on file is added), a new code creates the enterprise unit and its profile. So
importing the same ledger again changes nothing. Every write goes through the services, which check what the
columns did not; their refusals are filed under the row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from core.tables import Column, Row, SourceRow, TableImporter, TableReport, cells
from core.tables.report import state_label
from core.types import Actor
from enterprises import services
from enterprises.credit_code import normalise, validate_credit_code
from enterprises.models import EnterpriseProfile, EnterpriseSize, Industry
from org import services as org_services
from org.models import Person, PersonCategory, Unit, UnitKind
from org.selectors import PeopleByName, root_unit

NAME, CODE, INDUSTRY, SIZE, EMPLOYEES, ADDRESS, CONTACT, PHONE, LEADER = (
    "企业名称", "统一社会信用代码", "行业", "规模", "从业人数", "地址", "联系人", "联系电话", "联系领导",
)  # fmt: skip
SIZES: dict[str, str] = dict(zip(["大型", "中型", "小型", "微型"], EnterpriseSize.values, strict=True))
SIZES |= {str(value): str(value) for value in EnterpriseSize.values}


def parse_employees(text: str) -> int:
    raw = cells.plain(text).replace(",", "").replace("人", "")
    if not raw:
        return 0
    if not raw.isdigit():
        raise cells.CellError(_("Write the number of employees as a whole number."))
    return int(raw)


@dataclass
class LedgerRow(Row):
    name: str = ""
    code: str = ""
    industry: Industry | None = None
    size: str = ""
    employees: int = 0
    address: str = ""
    contact: str = ""
    phone: str = ""
    leader: Person | None = None


class LedgerImporter(TableImporter[LedgerRow]):
    columns = [
        Column(NAME, synonyms=("企业", "名称", "单位名称"), required=True, attr="name", fields=("unit",)),
        Column(CODE, synonyms=("信用代码", "社会信用代码"), required=True, fields=("credit_code",)),
        Column(INDUSTRY, synonyms=("所属行业", "产业"), required=True, fields=("industry",)),
        Column(SIZE, synonyms=("企业规模",), required=True, fields=("size",)),
        Column(EMPLOYEES, synonyms=("员工人数", "职工人数"), attr="employees", parse=parse_employees, fields=("employees",)),
        Column(ADDRESS, synonyms=("企业地址", "地点"), attr="address", fields=("address",)),
        Column(CONTACT, synonyms=("联系人姓名",), attr="contact", fields=("name",)),
        Column(PHONE, synonyms=("电话", "手机"), attr="phone", fields=("phone",)),
        Column(LEADER, synonyms=("包联领导", "联系领导姓名"), fields=("contact_leader",)),
    ]  # fmt: skip
    row_class = LedgerRow
    format_hint = gettext_lazy("Upload the enterprise ledger as an .xlsx or .csv file.")
    model = EnterpriseProfile
    # Rows are never "imported before": a known credit code updates its enterprise (see the module's note), so the
    # key (which also finds a code repeated in the file) is never a stored credit code.
    key_field = "credit_code"

    def start(self, report: TableReport) -> None:
        self.industries = {cells.name_key(i.name): i for i in Industry.objects.all()}
        self.industries |= {i.code: i for i in self.industries.values()}
        self.leaders = PeopleByName(Person.objects.filter(category=PersonCategory.LEADER))

    def read(self, row: LedgerRow, source: SourceRow) -> None:
        row.name = cells.normalise_space(row.name)
        row.code = normalise(source.get(CODE))
        try:
            validate_credit_code(row.code)
        except ValidationError as exc:
            row.error(CODE, " ".join(exc.messages))
        industry = self.industries.get(cells.name_key(source.get(INDUSTRY))) or self.industries.get(
            cells.plain(source.get(INDUSTRY))
        )
        if industry is None:
            known = "、".join(i.name for i in Industry.objects.all())
            row.error(INDUSTRY, _("Name one of the park's industries: %(known)s.") % {"known": known})
        row.industry = industry
        size = SIZES.get(cells.plain(source.get(SIZE)))
        if size is None:
            row.error(SIZE, _("Write 大型, 中型, 小型 or 微型."))
        row.size = size or ""
        leader_name = cells.plain(source.get(LEADER))
        if leader_name:
            found = self.leaders.find(leader_name)
            if isinstance(found, str):
                row.error(LEADER, found)
            elif found is None:
                row.error(LEADER, _("No leader of the organisation is named “%(name)s”.") % {"name": leader_name})
            else:
                row.leader = found
        if row.phone and not row.contact:
            row.error(CONTACT, _("Name the contact whose phone this is."))

    def key(self, row: LedgerRow) -> str:
        return f"ledger:{row.code}"

    def save(self, row: LedgerRow, *, actor: Actor) -> EnterpriseProfile:
        fields: dict[str, Any] = {"industry": row.industry, "size": row.size, "employees": row.employees,
                                  "address": row.address}  # fmt: skip
        if row.leader is not None:
            fields["contact_leader"] = row.leader
        profile = EnterpriseProfile.objects.filter(credit_code=row.code).select_related("unit").first()
        if profile is None:
            park = root_unit()
            unit = Unit.objects.filter(kind=UnitKind.ENTERPRISE, name=row.name).first()
            if unit is None:
                unit = org_services.unit_create(actor=actor, name=row.name, kind=UnitKind.ENTERPRISE, parent=park)
            profile = services.profile_create(actor=actor, unit=unit, credit_code=row.code, **fields)
        else:
            if row.name and profile.unit.name != row.name:
                org_services.unit_update(actor=actor, unit=profile.unit, data={"name": row.name})
            services.profile_update(actor=actor, profile=profile, data=fields)
        if row.contact and not profile.contacts.filter(name=row.contact).exists():
            services.contact_add(actor=actor, profile=profile, name=row.contact, phone=row.phone)
        return profile

    def record(self, report: TableReport, *, actor: Actor) -> None:
        audit_record(actor=actor, action="enterprises.ledger_import", after=self.summary(report))


def import_ledger(*, name: str, data: bytes, actor: Actor, dry_run: bool = False) -> TableReport:
    report: TableReport = LedgerImporter().run(name=name, data=data, actor=actor, dry_run=dry_run)
    return report


def describe(row: LedgerRow) -> str:
    """One line of the command's report: the row, its state, and what it names (never the contact's phone)."""
    return f"{row.number}: {state_label(row)} · {row.name} · {row.code}"
