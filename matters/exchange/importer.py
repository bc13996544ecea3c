"""Import an attachment-2 table: a declaration on core.tables; all rows or none, through the matter services.

Each new row becomes a matter exactly as if a coordinator had typed it: `matter_create(channel="import")`, then
`accept`, then `assign` (task, deadline, leads, units, budget). A row whose problem was already imported into the
same campaign is reported and left alone. With `create_missing`, leads and units the organisation lacks are
created under the campaign's organiser (leaders; departments, or communities for names ending in 社区).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from campaigns.models import Campaign
from core.tables import Column, Row, SourceRow, TableImporter, TableReport
from core.tables.report import NEW, state_label
from core.types import Actor
from matters.exchange import cells
from matters.models import Channel, Matter, Precision
from matters.services import matter_create, matter_transition
from matters.workflow import Action
from org import services as org_services
from org.models import Person, PersonCategory, Unit, UnitKind
from org.selectors import PeopleByName, UnitsByName, root_unit, unit_subtree_ids

NAME_MAX = 40  # a created person's or unit's name; the models allow more, a table cell should not need it


@dataclass
class PlannedRow(Row):
    """One data row of the table: what was read, what it resolves to, and what will happen to it."""

    serial: str = ""
    problem: str = ""
    task: str = ""
    deadline_text: str = ""
    deadline: dt.date | None = None
    precision: str = Precision.MONTH
    deadline_error: str = ""
    lead_names: list[str] = field(default_factory=list)
    unit_names: list[str] = field(default_factory=list)
    all_communities: bool = False
    budget: Decimal | None = None
    remarks: str = ""
    leads: list[Person] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    new_people: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)

    @property
    def matter(self) -> Matter | None:
        return self.saved

    @property
    def excerpt(self) -> str:
        text = cells.normalise_space(self.problem)
        return text if len(text) <= 40 else text[:39] + "…"

    @property
    def deadline_display(self) -> str:
        return cells.format_deadline(self.deadline, self.precision)

    @property
    def budget_display(self) -> str:
        return "" if self.budget is None else f"{self.budget:,.0f}"

    @property
    def leads_display(self) -> str:
        return "、".join(self.lead_names)

    @property
    def units_display(self) -> str:
        return cells.join_units(self.unit_names, self.all_communities)


@dataclass
class ImportReport(TableReport):
    campaign: Campaign | None = None
    root: Unit | None = None
    created_people: list[str] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)

    @property
    def new_people(self) -> list[str]:
        return sorted({n for row in self.rows if row.state == NEW for n in row.new_people})

    @property
    def new_units(self) -> list[str]:
        return sorted({n for row in self.rows if row.state == NEW for n in row.new_units})


class ListImporter(TableImporter[PlannedRow]):
    """The table of attachment 2 (序号, 问题清单, 任务清单, 完成时限, 责任领导, 责任部门社区, 备注)."""

    columns = [
        Column(cells.NUMBER, synonyms=("编号",), attr="serial"),
        Column(cells.PROBLEM, required=True, fields=("problem",), attr="problem"),
        Column(cells.TASK, required=True, fields=("task", "budget_yuan"), attr="task"),
        Column(cells.DEADLINE, required=True, fields=("deadline", "deadline_precision"), attr="deadline_text"),
        Column(cells.LEADS, required=True, fields=("leads",)),
        Column(cells.UNITS, synonyms=("责任部门", "责任单位", "责任部门和社区"), required=True, fields=("units",)),
        Column(cells.REMARKS, fields=("remarks",), attr="remarks"),
    ]
    row_class = PlannedRow
    report_class = ImportReport
    formats = ("xlsx", "docx", "csv")
    format_hint = gettext_lazy("Upload an .xlsx, .docx or .csv file with the table of attachment 2.")
    model = Matter

    def __init__(
        self,
        *,
        campaign: Campaign | None = None,
        create_missing: bool = False,
        reported_at: Callable[[PlannedRow], dt.datetime] | None = None,
    ) -> None:
        if campaign is None:
            from campaigns.selectors import campaign_current

            campaign = campaign_current()
        self.campaign, self.create_missing, self.reported_at = campaign, create_missing, reported_at
        self.root = campaign.organiser if campaign is not None else root_unit()
        self.created: dict[str, Any] = {}  # name → the person or unit prepare_writes created

    def start(self, report: ImportReport) -> None:
        report.campaign, report.root = self.campaign, self.root
        units = list(Unit.objects.order_by("order", "id"))
        people = Person.objects.select_related("unit").exclude(name="").order_by("unit__order", "id")
        if self.root is not None:
            below = unit_subtree_ids(self.root)
            units = [u for u in units if u.pk in below]
            people = people.filter(unit_id__in=below)
        self.work_teams = UnitsByName(u for u in units if u.kind == UnitKind.WORK_TEAM)
        self.units = UnitsByName(u for u in units if u.kind != UnitKind.WORK_TEAM)
        self.people = PeopleByName(people)

    def read(self, row: PlannedRow, source: SourceRow) -> None:
        row.lead_names = cells.split_names(source.get(cells.LEADS))
        row.unit_names, row.all_communities = cells.split_units(source.get(cells.UNITS))
        row.budget = cells.parse_budget(row.task)
        try:
            row.deadline, row.precision = cells.parse_deadline(row.deadline_text)
        except cells.CellError as exc:
            row.deadline_error = exc.message
        if not row.problem:
            row.error(cells.PROBLEM, _("The problem is empty."))

    def key(self, row: PlannedRow) -> str:
        return cells.import_key(row.problem, self.campaign.pk if self.campaign is not None else None)

    def check(self, row: PlannedRow) -> None:
        if not row.task:
            row.error(cells.TASK, _("The task is empty."))
        if row.deadline_error:
            row.error(cells.DEADLINE, row.deadline_error)
        for name in row.lead_names:
            self._resolve(row, cells.LEADS, name, self.people.find(name), row.leads, row.new_people)
        if not row.unit_names and not row.all_communities:
            row.error(cells.UNITS, _("Name at least one responsible department or community, or 各社区."))
        for name in row.unit_names:
            self._resolve(row, cells.UNITS, name, self._unit(name), row.units, row.new_units)
        if (row.new_people or row.new_units) and self.root is None:
            row.error("", _("There is no root unit to create missing people and units under."))
        if row.budget is not None and row.budget >= Decimal(10) ** 12:
            row.error(cells.TASK, _("The sum stated in the task is too large to be a budget."))

    def _resolve(self, row: PlannedRow, column: str, name: str, found: Any, known: list[Any], new: list[str]) -> None:
        """File a named lead or unit: found, to be created, or an error."""
        if isinstance(found, str):
            row.error(column, found)
        elif found is not None:
            known.append(found)
        elif self.create_missing and len(name) > NAME_MAX:
            row.error(column, _("“%(name)s” is too long to be a name.") % {"name": name[:40] + "…"})
        elif self.create_missing:
            new.append(name)
        else:
            root = self.root.label if self.root is not None else _("the organisation")
            if column == cells.LEADS:
                message = _(
                    "Nobody named “%(name)s” in %(root)s. Add the person first, or let the import create missing people."
                )
            else:
                message = _(
                    "No unit named “%(name)s” in %(root)s. Add the unit first, or let the import create missing units."
                )
            row.error(column, message % {"name": name, "root": root})

    def _unit(self, name: str) -> Unit | str | None:
        """The unit, None when unknown, or an error message when the name is ambiguous or a work team's."""
        found = self.units.named(name)
        if not found and self.work_teams.named(name):
            return _("“%(name)s” is a work team; work teams cannot be responsible units.") % {"name": name}
        if len(found) > 1:
            preferred = [u for u in found if u.kind in (UnitKind.DEPARTMENT, UnitKind.COMMUNITY)]
            if len(preferred) == 1:
                return preferred[0]
            return _("Several units are named “%(name)s”; rename one of them first.") % {"name": name}
        return found[0] if found else None

    def prepare_writes(self, report: ImportReport, *, actor: Actor) -> None:
        """Create the people and units the table names but the organisation lacks, through the org services."""
        if not self.create_missing or self.root is None:
            return
        for name in report.new_people:
            self.created[name] = org_services.person_create(
                actor=actor, name=name, unit=self.root, category=PersonCategory.LEADER
            )
            report.created_people.append(name)
        for name in report.new_units:
            kind = UnitKind.COMMUNITY if name.endswith("社区") else UnitKind.DEPARTMENT
            self.created[name] = org_services.unit_create(actor=actor, name=name, kind=kind, parent=self.root)
            report.created_units.append(name)

    def save(self, row: PlannedRow, *, actor: Actor) -> Matter:
        at = self.reported_at(row) if self.reported_at is not None else None
        matter, _created = matter_create(
            actor=actor,
            problem=row.problem,
            channel=Channel.IMPORT,
            campaign=self.campaign,
            remarks=row.remarks,
            import_key=row.key,
            reported_at=at,
        )
        matter_transition(matter=matter, action=Action.ACCEPT, actor=actor, at=at)
        budget: dict[str, Any] = {"budget_yuan": row.budget} if row.budget is not None else {}
        return matter_transition(
            matter=matter,
            action=Action.ASSIGN,
            actor=actor,
            at=at,
            recorded=True,  # the list as the park assigned it: a deadline may have passed since
            task=row.task,
            deadline=row.deadline,
            deadline_precision=row.precision,
            leads=[*row.leads, *(self.created[n] for n in row.new_people)],
            units=[*row.units, *(self.created[n] for n in row.new_units)],
            all_communities=row.all_communities,
            **budget,
        )

    def rolled_back(self, report: ImportReport) -> None:
        report.created_people, report.created_units = [], []

    def record(self, report: ImportReport, *, actor: Actor) -> None:
        audit_record(
            actor=actor,
            action="matters.import",
            after={
                "file": report.file_name,
                "campaign": self.campaign.pk if self.campaign is not None else None,
                "created": report.new_count,
                "already_imported": report.existing_count,
                "people_created": report.created_people,
                "units_created": report.created_units,
            },
        )


def import_plan(
    *, name: str, data: bytes, campaign: Campaign | None = None, create_missing: bool = False
) -> ImportReport:
    """Read and check a table without writing anything."""
    return ListImporter(campaign=campaign, create_missing=create_missing).plan(name=name, data=data)


def import_table(
    *,
    name: str,
    data: bytes,
    actor: Actor,
    campaign: Campaign | None = None,
    create_missing: bool = False,
    dry_run: bool = False,
    reported_at: Callable[[PlannedRow], dt.datetime] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the table all or nothing; any error (found before or while writing) leaves the database as it was.

    `progress(done, total)` is told as each new row is written (a job's progress bar).
    """
    importer = ListImporter(campaign=campaign, create_missing=create_missing, reported_at=reported_at)
    return importer.run(name=name, data=data, actor=actor, dry_run=dry_run, progress=progress)


def describe(row: PlannedRow) -> str:
    """One line per row for the command: what it is read as and what happens to it."""
    precision = _("month") if row.precision == Precision.MONTH else _("day")
    parts = [
        _("row %(row)d") % {"row": row.number},
        f"[{state_label(row)}]",
        f"{row.serial}." if row.serial else "",
        row.excerpt,
        "|",
        _("deadline %(deadline)s (%(precision)s)") % {"deadline": row.deadline_display, "precision": precision}
        if row.deadline
        else _("deadline ?"),
        "|",
        _("leads: %(leads)s") % {"leads": row.leads_display or _("none (needs a lead)")},
        "|",
        _("units: %(units)s") % {"units": row.units_display or "-"},
    ]
    if row.budget is not None:
        parts += ["|", _("budget: %(yuan)s yuan") % {"yuan": row.budget_display}]
    if row.new_people or row.new_units:
        parts += ["|", _("to create: %(names)s") % {"names": "、".join([*row.new_people, *row.new_units])}]
    return " ".join(p for p in parts if p)
