"""Import an attachment-2 table: read, check every row against the organisation, then write all rows or none.

Each new row becomes a matter through the matter services, exactly as if a coordinator had typed it:
`matter_create(channel="import")`, then `accept`, then `assign` (task, deadline, leads, units, budget).
A row whose problem was already imported into the same campaign is reported and left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from campaigns.models import Campaign
from core.exceptions import DomainError
from core.services import Actor
from matters.exchange import cells, reader
from matters.models import Channel, Matter, Precision
from matters.services import matter_create, matter_transition
from matters.workflow import Action
from org import services as org_services
from org.models import Person, PersonCategory, Unit, UnitKind

NEW, EXISTING, DUPLICATE, ERROR = "new", "existing", "duplicate", "error"


@dataclass
class RowError:
    row: int | None  # the row's number in the file; None for the file as a whole
    column: str  # the column's name as the table writes it; "" for the file or the row
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)d, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class RowState:
    """What happens to a planned row: refused, already imported, repeated in the file, or new (every importer)."""

    errors: list[RowError]
    existing: Any
    duplicate_of: int | None

    @property
    def state(self) -> str:
        if self.errors:
            return ERROR
        if self.existing is not None:
            return EXISTING
        if self.duplicate_of is not None:
            return DUPLICATE
        return NEW


@dataclass
class PlannedRow(RowState):
    """One data row of the table: what was read, what it resolves to, and what will happen to it."""

    number: int
    serial: str = ""
    problem: str = ""
    task: str = ""
    deadline_text: str = ""
    deadline: dt.date | None = None
    precision: str = Precision.MONTH
    lead_names: list[str] = field(default_factory=list)
    unit_names: list[str] = field(default_factory=list)
    all_communities: bool = False
    budget: Decimal | None = None
    remarks: str = ""
    key: str = ""
    leads: list[Person] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    new_people: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    existing: Matter | None = None
    duplicate_of: int | None = None
    errors: list[RowError] = field(default_factory=list)
    matter: Matter | None = None  # set once written

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

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))


@dataclass
class TableReport:
    """What reading a table found, row by row; shared by every importer (matters here, visits in fieldwork)."""

    file_name: str
    file_format: str = ""
    header_row: int | None = None
    rows: list[Any] = field(default_factory=list)  # each with .state and .errors
    file_errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def errors(self) -> list[RowError]:
        return [*self.file_errors, *(e for row in self.rows for e in row.errors)]

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def new_count(self) -> int:
        return self._count(NEW)

    @property
    def existing_count(self) -> int:
        return self._count(EXISTING)

    @property
    def duplicate_count(self) -> int:
        return self._count(DUPLICATE)


@dataclass
class ImportReport(TableReport):
    campaign: Campaign | None = None
    root: Unit | None = None
    created_people: list[str] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)

    @property
    def new_people(self) -> list[str]:
        return sorted({n for row in self.rows for n in row.new_people})

    @property
    def new_units(self) -> list[str]:
        return sorted({n for row in self.rows for n in row.new_units})


def _key(name: str) -> str:
    return "".join(cells.fold(name).split())


class _Organisation:
    """The units and people under the root unit, looked up by name; the lookups an import needs."""

    def __init__(self, root: Unit | None) -> None:
        self.root = root
        units = list(Unit.objects.order_by("order", "id"))
        if root is not None:
            below = _subtree_ids(root)
            units = [u for u in units if u.pk in below]
        self.work_teams = {_key(n) for u in units if u.kind == UnitKind.WORK_TEAM for n in (u.name, u.short_name) if n}
        units = [u for u in units if u.kind != UnitKind.WORK_TEAM]
        self.units: dict[str, list[Unit]] = {}
        for unit in units:
            for name in {unit.name, unit.short_name} - {""}:
                self.units.setdefault(_key(name), []).append(unit)
        people = Person.objects.select_related("unit").exclude(name="").order_by("unit__order", "id")
        if root is not None:
            people = people.filter(unit_id__in=_subtree_ids(root))
        self.people: dict[str, list[Person]] = {}
        for person in people:
            self.people.setdefault(_key(person.name), []).append(person)

    @property
    def root_label(self) -> str:
        return self.root.label if self.root is not None else _("the organisation")

    def unit(self, name: str) -> Unit | str | None:
        """The unit, None when unknown, or an error message when the name is ambiguous or a work team's."""
        found = self.units.get(_key(name), [])
        if not found and _key(name) in self.work_teams:
            return _("“%(name)s” is a work team; work teams cannot be responsible units.") % {"name": name}
        if len(found) > 1:
            preferred = [u for u in found if u.kind in (UnitKind.DEPARTMENT, UnitKind.COMMUNITY)]
            if len(preferred) == 1:
                return preferred[0]
            return _("Several units are named “%(name)s”; rename one of them first.") % {"name": name}
        return found[0] if found else None

    def person(self, name: str) -> Person | str | None:
        found = self.people.get(_key(name), [])
        if len(found) > 1:
            leaders = [p for p in found if p.category == PersonCategory.LEADER]
            if len(leaders) == 1:
                return leaders[0]
            return _("Several people are named “%(name)s”; rename one of them first.") % {"name": name}
        return found[0] if found else None


def _subtree_ids(root: Unit) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    out, todo = set(), [root.pk]
    while todo:
        pk = todo.pop()
        if pk not in out:
            out.add(pk)
            todo.extend(children.get(pk, []))
    return out


def _root_for(campaign: Campaign | None) -> Unit | None:
    if campaign is not None:
        return campaign.organiser
    from org.selectors import root_unit

    return root_unit()


_NAME_MAX = 40  # a created person's or unit's name; the models allow more, a table cell should not need it


def _plan_row(
    source: reader.SourceRow,
    *,
    org: _Organisation,
    campaign: Campaign | None,
    create_missing: bool,
    seen: dict[str, int],
    imported: dict[str, Matter],
) -> PlannedRow:
    row = PlannedRow(
        number=source.number,
        serial=source.get(cells.NUMBER),
        problem=source.get(cells.PROBLEM),
        task=source.get(cells.TASK),
        deadline_text=source.get(cells.DEADLINE),
        remarks=source.get(cells.REMARKS),
    )
    row.lead_names = cells.split_names(source.get(cells.LEADS))
    row.unit_names, row.all_communities = cells.split_units(source.get(cells.UNITS))
    row.budget = cells.parse_budget(row.task)
    if not row.problem:
        row.error(cells.PROBLEM, _("The problem is empty."))
        return row
    deadline_error = ""
    try:
        row.deadline, row.precision = cells.parse_deadline(row.deadline_text)
    except cells.CellError as exc:
        deadline_error = exc.message
    row.key = cells.import_key(row.problem, campaign.pk if campaign is not None else None)
    row.existing = imported.get(row.key)
    if row.existing is not None:
        return row  # already imported: whatever the row says now, nothing is written for it
    if row.key in seen:
        row.duplicate_of = seen[row.key]
        return row
    seen[row.key] = row.number
    if not row.task:
        row.error(cells.TASK, _("The task is empty."))
    if deadline_error:
        row.error(cells.DEADLINE, deadline_error)
    for name in row.lead_names:
        person = org.person(name)
        if isinstance(person, str):
            row.error(cells.LEADS, person)
        elif person is not None:
            row.leads.append(person)
        elif create_missing and len(name) > _NAME_MAX:
            row.error(cells.LEADS, _("“%(name)s” is too long to be a name.") % {"name": name[:40] + "…"})
        elif create_missing:
            row.new_people.append(name)
        else:
            row.error(
                cells.LEADS,
                _("Nobody named “%(name)s” in %(root)s. Add the person first, or let the import create missing people.")
                % {"name": name, "root": org.root_label},
            )
    if not row.unit_names and not row.all_communities:
        row.error(cells.UNITS, _("Name at least one responsible department or community, or 各社区."))
    for name in row.unit_names:
        unit = org.unit(name)
        if isinstance(unit, str):
            row.error(cells.UNITS, unit)
        elif unit is not None:
            row.units.append(unit)
        elif create_missing and len(name) > _NAME_MAX:
            row.error(cells.UNITS, _("“%(name)s” is too long to be a name.") % {"name": name[:40] + "…"})
        elif create_missing:
            row.new_units.append(name)
        else:
            row.error(
                cells.UNITS,
                _("No unit named “%(name)s” in %(root)s. Add the unit first, or let the import create missing units.")
                % {"name": name, "root": org.root_label},
            )
    if (row.new_people or row.new_units) and org.root is None:
        row.error("", _("There is no root unit to create missing people and units under."))
    if row.budget is not None and row.budget >= Decimal(10) ** 12:
        row.error(cells.TASK, _("The sum stated in the task is too large to be a budget."))
    return row


def import_plan(
    *, name: str, data: bytes, campaign: Campaign | None = None, create_missing: bool = False
) -> ImportReport:
    """Read and check a table without writing anything: the dry run, and the first half of an import."""
    if campaign is None:
        from campaigns.selectors import campaign_current

        campaign = campaign_current()
    root = _root_for(campaign)
    report = ImportReport(file_name=name, campaign=campaign, root=root)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        report.file_errors.append(RowError(None, "", too_large_message()))
        return report
    try:
        table = reader.read_table(name, data)
    except reader.TableError as exc:
        report.file_errors.append(RowError(None, "", exc.message))
        return report
    report.file_format, report.header_row = table.file_format, table.header_row
    if not table.rows:
        report.file_errors.append(RowError(None, "", _("The table has a header but no rows.")))
        return report
    org = _Organisation(root)
    campaign_id = campaign.pk if campaign is not None else None
    keys = {cells.import_key(r.get(cells.PROBLEM), campaign_id) for r in table.rows if r.get(cells.PROBLEM)}
    imported = {m.import_key: m for m in Matter.objects.filter(import_key__in=keys)}
    seen: dict[str, int] = {}
    for source in table.rows:
        report.rows.append(
            _plan_row(source, org=org, campaign=campaign, create_missing=create_missing, seen=seen, imported=imported)
        )
    return report


def too_large_message() -> str:
    limit = settings.UPLOAD_MAX_BYTES
    return _("The file is larger than %(mb)s MB; a list table is far smaller.") % {
        "mb": f"{limit / (1024 * 1024):.0f}" if limit >= 1024 * 1024 else f"{limit / (1024 * 1024):.2f}"
    }


class _Rollback(Exception):
    """Undo every write of the import: one row failed."""


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

    `progress(done, total)` is told after each new row is written (a job's progress bar).
    """
    report = import_plan(name=name, data=data, campaign=campaign, create_missing=create_missing)
    report.dry_run = dry_run
    if dry_run or not report.ok:
        return report
    try:
        with transaction.atomic():
            _write(report, actor=actor, create_missing=create_missing, reported_at=reported_at, progress=progress)
            if report.errors:
                raise _Rollback
    except _Rollback:
        for row in report.rows:
            row.matter = None
        report.created_people, report.created_units = [], []
        return report
    report.written = True
    return report


def _write(
    report: ImportReport,
    *,
    actor: Actor,
    create_missing: bool,
    reported_at: Callable[[PlannedRow], dt.datetime] | None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    people: dict[str, Person] = {}
    units: dict[str, Unit] = {}
    root = report.root
    if create_missing and root is not None:
        try:
            _create_missing(report, actor=actor, root=root, people=people, units=units)
        except ValidationError as exc:
            messages = [m for _field, ms in _messages(exc) for m in ms]
            report.file_errors.append(RowError(None, "", " ".join(messages)))
            return
    total, done = report.new_count, 0
    for row in report.rows:
        if row.state != NEW:
            continue
        done += 1
        if progress is not None:
            progress(done, total)
        try:
            row.matter = _write_row(
                row,
                actor=actor,
                campaign=report.campaign,
                leads=[*row.leads, *(people[n] for n in row.new_people)],
                units=[*row.units, *(units[n] for n in row.new_units)],
                at=reported_at(row) if reported_at is not None else None,
            )
        except ValidationError as exc:
            for field_name, messages in _messages(exc):
                row.error(_COLUMN_OF_FIELD.get(field_name, ""), " ".join(messages))
        except DomainError as exc:
            row.error(_COLUMN_OF_FIELD.get(exc.field or "", ""), exc.message)
        except IntegrityError:
            row.error("", _("This row was imported by someone else at the same time; nothing was written."))
    if not (report.new_count or report.created_people or report.created_units):
        return  # nothing was written: a repeated import leaves no trace to audit
    audit_record(
        actor=actor,
        action="matters.import",
        after={
            "file": report.file_name,
            "campaign": report.campaign.pk if report.campaign is not None else None,
            "created": report.new_count,
            "already_imported": report.existing_count,
            "people_created": report.created_people,
            "units_created": report.created_units,
        },
    )


def _create_missing(
    report: ImportReport, *, actor: Actor, root: Unit, people: dict[str, Person], units: dict[str, Unit]
) -> None:
    """Create the people and units the table names but the organisation lacks, through the org services."""
    for person_name in report.new_people:
        people[person_name] = org_services.person_create(
            actor=actor, name=person_name, unit=root, category=PersonCategory.LEADER
        )
        report.created_people.append(person_name)
    for unit_name in report.new_units:
        kind = UnitKind.COMMUNITY if unit_name.endswith("社区") else UnitKind.DEPARTMENT
        units[unit_name] = org_services.unit_create(actor=actor, name=unit_name, kind=kind, parent=root)
        report.created_units.append(unit_name)


_COLUMN_OF_FIELD = {
    "problem": cells.PROBLEM,
    "task": cells.TASK,
    "deadline": cells.DEADLINE,
    "leads": cells.LEADS,
    "units": cells.UNITS,
    "remarks": cells.REMARKS,
    "budget_yuan": cells.TASK,
}


def _messages(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [(name, [str(m) for e in errors for m in e]) for name, errors in exc.error_dict.items()]
    return [("", [str(m) for m in exc.messages])]


def _write_row(
    row: PlannedRow,
    *,
    actor: Actor,
    campaign: Campaign | None,
    leads: list[Person],
    units: list[Unit],
    at: dt.datetime | None,
) -> Matter:
    fields: dict[str, Any] = {}
    if row.budget is not None:
        fields["budget_yuan"] = row.budget
    matter, _created = matter_create(
        actor=actor,
        problem=row.problem,
        channel=Channel.IMPORT,
        campaign=campaign,
        remarks=row.remarks,
        import_key=row.key,
        reported_at=at,
    )
    matter_transition(matter=matter, action=Action.ACCEPT, actor=actor, at=at)
    return matter_transition(
        matter=matter,
        action=Action.ASSIGN,
        actor=actor,
        at=at,
        task=row.task,
        deadline=row.deadline,
        deadline_precision=row.precision,
        leads=leads,
        units=units,
        all_communities=row.all_communities,
        **fields,
    )
