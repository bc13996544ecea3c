"""The park's backlog ledger in: one row a case (信访人, 联系电话, 反映问题, 包保领导, 责任单位, 首次信访时间, 信访次数,
化解情况 …), through the shared table machinery (core.tables): dry run, per-row errors, all or nothing, and a row
imported before is found again by its key (stored as the case's `ref`, a digest: never the petitioner's name)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from core.tables import cells
from core.tables.importer import TableImporter
from core.tables.reader import Column, SourceRow
from core.tables.report import Row, TableReport
from core.types import Actor
from org.models import Person, PersonCategory, Unit
from org.selectors import PeopleByName, UnitsByName
from petitions import services
from petitions.models import FocusArea, PetitionCase

_SPLIT = re.compile(r"[、,，;；/\s]+")
RISKS = {"高": "high", "中": "medium", "低": "low"}


def parse_count(text: str) -> int:
    value = text.strip().removesuffix("次")
    if not value.isdecimal() or not 1 <= int(value) <= 9999:
        raise cells.CellError(_("Write how many times, as a whole number from 1."))
    return int(value)


@dataclass
class LedgerRow(Row):
    petitioner: str = ""
    phone: str = ""
    problem: str = ""
    owners: list[Person] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    first_on: dt.date | None = None
    count: int = 1
    progress: str = ""
    focus: FocusArea | None = None
    risk: str = "medium"


class LedgerImporter(TableImporter[LedgerRow]):
    columns = [
        Column("信访人", synonyms=("信访人姓名", "姓名"), required=True, attr="petitioner", fields=("name",)),
        Column("联系电话", synonyms=("电话", "手机"), attr="phone", fields=("phone",)),
        Column("反映问题", synonyms=("信访事项", "主要诉求"), required=True, attr="problem", fields=("summary",)),
        Column("包保领导", synonyms=("包案领导", "责任领导"), required=True, fields=("owners",)),
        Column("责任单位", synonyms=("承办单位",), fields=("handling_units",)),
        Column(
            "首次信访时间",
            synonyms=("首次信访日期",),
            attr="first_on",
            parse=cells.parse_date,
            fields=("first_petition_on",),
        ),
        Column("信访次数", synonyms=("次数",), attr="count", parse=parse_count, fields=("petition_count",)),
        Column("化解情况", synonyms=("进展情况",), attr="progress"),
        Column("重点领域", synonyms=("问题类别",), fields=("focus",)),
        Column("风险等级", synonyms=("风险",), fields=("risk",)),
    ]
    row_class = LedgerRow
    format_hint = gettext_lazy("Upload the backlog ledger as an .xlsx or .csv file.")
    model = PetitionCase
    key_field = "ref"

    def start(self, report: TableReport) -> None:
        self.today = timezone.localdate()
        self.leaders = PeopleByName(Person.objects.filter(category=PersonCategory.LEADER).exclude(name=""))
        self.units = UnitsByName(Unit.objects.all())
        self.focuses = {f.name: f for f in FocusArea.objects.filter(disputes_only=False)}

    def read(self, row: LedgerRow, source: SourceRow) -> None:
        for name in _SPLIT.split(source.get("包保领导").strip()):
            if not name:
                continue
            found = self.leaders.find(name)
            if isinstance(found, Person):
                row.owners.append(found)
            else:
                row.error("包保领导", found or _("“%(name)s” is not a leader of the park.") % {"name": name})
        if not row.owners and not row.errors:
            row.error("包保领导", _("A case always has at least one owning leader."))
        for name in _SPLIT.split(source.get("责任单位").strip()):
            if name:
                units = self.units.named(name)
                if len(units) == 1:
                    row.units.append(units[0])
                else:
                    row.error("责任单位", _("“%(name)s” is not one unit of the park.") % {"name": name})
        focus = source.get("重点领域").strip()
        row.focus = self.focuses.get(focus) if focus else self.focuses.get("其他")
        if row.focus is None:
            row.error("重点领域", _("“%(name)s” is not a focus area.") % {"name": focus})
        risk = source.get("风险等级").strip().removesuffix("风险")
        if risk:
            if risk not in RISKS:
                row.error("风险等级", _("Write 高, 中 or 低."))
            else:
                row.risk = RISKS[risk]
        if row.first_on is not None and row.first_on > self.today:
            row.error("首次信访时间", _("This date lies in the future."))

    def key(self, row: LedgerRow) -> str:
        phone = "".join(ch for ch in row.phone if ch.isdigit())
        first = row.first_on.isoformat() if row.first_on else ""
        return cells.digest(
            "petitions.ledger", cells.name_key(row.petitioner), phone, first, cells.name_key(row.problem)
        )

    def save(self, row: LedgerRow, *, actor: Actor) -> PetitionCase:
        assert row.focus is not None  # a row without errors has one
        summary = row.problem.strip()
        if row.progress.strip():
            summary = f"{summary}\n化解情况：{row.progress.strip()}"
        first = row.first_on or self.today
        return services.case_create(
            actor=actor,
            ref=row.key,
            data={
                "summary": summary,
                "focus": row.focus.pk,
                "received_on": self.today.isoformat(),
                "first_petition_on": first.isoformat(),
                "petition_count": row.count,
                "level": "park",
                "channel": "visit",
                "risk": row.risk,
                "owners": [p.pk for p in row.owners],
                "handling_units": [u.pk for u in row.units],
                "visit_every_days": 30,
            },
            petitioners=[{"name": row.petitioner, "phone": row.phone}],
        )

    def record(self, report: TableReport, *, actor: Actor) -> None:
        audit_record(actor=actor, action="petitions.ledger_import", after=self.summary(report))


def import_ledger(*, name: str, data: bytes, actor: Actor, dry_run: bool) -> Any:
    return LedgerImporter().run(name=name, data=data, actor=actor, dry_run=dry_run)
