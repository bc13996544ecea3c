"""Import a community's household ledger (困难群众台账, .xlsx or .csv): a declaration on core.tables; all rows or none.

Each row becomes a household (with its head as the first member) through `household_create` and `member_add`,
exactly as if typed into the form, so the same checks apply (a category is needed, the compound must be the
community's). A row's key is its community, head and address, so importing the same ledger again adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from care.models import Category, Household
from care.services import household_create, member_add
from core.tables import Column, Row, SourceRow, TableImporter, TableReport, cells
from core.types import Actor
from org.models import Unit, UnitKind
from org.selectors import UnitsByName

# The ledger's columns as offices write them: the file format, so not translated.
HEAD, COMMUNITY, COMPOUND, ADDRESS, CATEGORY, PHONE, SITUATION, NEEDS = "户主", "社区", "小区", "住址", "类别", "电话", "家庭情况", "需求"  # fmt: skip
_SPLIT = re.compile(r"[、,，;；/\s]+")
# What offices write for a category, besides its label and code.
ALIASES = {"低保户": "dibao", "特困户": "tekun", "特困供养": "tekun", "残疾人": "disability", "独居老人": "elderly_alone",
           "空巢老人": "elderly_alone", "空巢": "elderly_alone", "独居": "elderly_alone", "大病患者": "illness",
           "失业人员": "unemployed", "其它": "other"}  # fmt: skip


@dataclass
class LedgerRow(Row):
    head: str = ""
    community: Unit | None = None
    compound: Unit | None = None
    address: str = ""
    categories: list[Category] = field(default_factory=list)
    phone: str = ""
    situation: str = ""
    needs: str = ""


class HouseholdImporter(TableImporter[LedgerRow]):
    columns = [
        Column(HEAD, synonyms=("户主姓名", "姓名"), required=True, attr="head", fields=("name",)),
        Column(COMMUNITY, synonyms=("所属社区",), required=True, fields=("community",)),
        Column(COMPOUND, synonyms=("所属小区",), fields=("compound",)),
        Column(ADDRESS, synonyms=("家庭住址", "地址"), required=True, attr="address", fields=("address",)),
        Column(CATEGORY, synonyms=("困难类别", "类型"), required=True, fields=("categories",)),
        Column(PHONE, synonyms=("联系电话", "手机"), attr="phone", fields=("phone",)),
        Column(SITUATION, synonyms=("困难情况",), attr="situation", fields=("situation",)),
        Column(NEEDS, synonyms=("需求", "主要需求"), attr="needs", fields=("needs",)),
    ]
    row_class = LedgerRow
    format_hint = gettext_lazy("Upload the household ledger as an .xlsx or .csv file.")
    model = Household

    def __init__(self, communities: Any = None) -> None:
        # The communities the importer may write to (a community's handler: their own); None: all of them.
        self.allowed = communities if communities is not None else Unit.objects.filter(kind=UnitKind.COMMUNITY)

    def start(self, report: TableReport) -> None:
        self.communities = UnitsByName(Unit.objects.filter(kind=UnitKind.COMMUNITY))
        self.allowed_ids = set(self.allowed.values_list("pk", flat=True))
        self.compounds = UnitsByName(Unit.objects.filter(kind=UnitKind.COMPOUND))
        self.categories: dict[str, Category] = {}
        for category in Category.objects.filter(active=True):
            for name in (category.code, category.label, *category.label.split("/")):
                self.categories[cells.name_key(name)] = category
        for alias, code in ALIASES.items():
            if (aliased := self.categories.get(code)) is not None:
                self.categories[cells.name_key(alias)] = aliased

    def read(self, row: LedgerRow, source: SourceRow) -> None:
        row.head, row.address, row.phone = row.head.strip(), row.address.strip(), re.sub(r"[\s-]", "", row.phone)
        if not row.head:
            row.error(HEAD, _("The head of the household is empty."))
        found = self.communities.named(source.get(COMMUNITY))
        if len(found) != 1:
            row.error(COMMUNITY, _("Name one community of the park."))
        elif found[0].pk not in self.allowed_ids:
            row.error(COMMUNITY, _("You may import households of your own community only."))
        else:
            row.community = found[0]
        compound = cells.plain(source.get(COMPOUND))
        if compound:
            compounds = [c for c in self.compounds.named(compound) if row.community and c.parent_id == row.community.pk]
            if len(compounds) != 1:
                row.error(COMPOUND, _("Name a compound of this community, or leave the cell empty."))
            else:
                row.compound = compounds[0]
        for word in filter(None, _SPLIT.split(cells.plain(source.get(CATEGORY)))):
            category = self.categories.get(cells.name_key(word))
            if category is None:
                row.error(CATEGORY, _("Unknown category “%(value)s”.") % {"value": word[:20]})
            elif category not in row.categories:
                row.categories.append(category)
        if not row.categories and not any(e.column == CATEGORY for e in row.errors):
            row.error(CATEGORY, _("Give the household at least one category."))

    def key(self, row: LedgerRow) -> str:
        assert row.community is not None  # a row without errors has one
        return cells.digest(
            "care.household", str(row.community.pk), cells.name_key(row.head), cells.name_key(row.address)
        )

    def save(self, row: LedgerRow, *, actor: Actor) -> Any:
        assert row.community is not None
        household = household_create(
            actor=actor,
            community=row.community,
            compound=row.compound,
            address=row.address,
            categories=row.categories,
            situation=row.situation,
            needs=row.needs,
            import_key=row.key,
        )
        member_add(actor=actor, household=household, name=row.head, relation="户主", phone=row.phone)
        return household

    def record(self, report: TableReport, *, actor: Actor) -> None:
        audit_record(actor=actor, action="care.household_import", after=self.summary(report))


def import_ledger(
    *, name: str, data: bytes, actor: Actor, dry_run: bool = False, communities: Any = None
) -> TableReport:
    """Import the ledger all or nothing; a dry run makes the same writes and rolls them back."""
    report: TableReport = HouseholdImporter(communities).run(name=name, data=data, actor=actor, dry_run=dry_run)
    return report
