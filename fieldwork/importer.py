"""Import the visit sheets offices keep (.xlsx or .csv): a declaration on core.tables; all rows or none.

Each row becomes a visit through `visit_create`, exactly as if it had been typed into the visit form, so the
same checks apply (future dates, more than 24 hours in a day, places that must match their kind); the dry run
makes the same writes and rolls them back. A row's key is a hash of what it says, so importing the same sheet
again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from core.tables import Column, Row, SourceRow, TableImporter, TableReport, cells
from core.tables.report import state_label
from core.types import Actor
from fieldwork.models import PlaceKind, Visit, VisitKind
from fieldwork.services import visit_create
from org.models import ContactPoint, Person, Unit, UnitKind
from org.selectors import PeopleByName, UnitsByName

# The sheet's columns. Offices name them in many ways; these are the file format, so they are not translated.
PERSON, DATE, HOURS, START, END, KIND, PLACE, NOTES, PARTICIPANTS = "姓名", "日期", "时长", "开始时间", "结束时间", "类型", "地点", "备注", "人数"  # fmt: skip
# A visit entered more than settings.VISIT_LATE_DAYS after its date needs its reason here, else the row is refused.
LATE_REASON = "补录原因"

# The kinds as offices write them; the labels and codes of VisitKind are understood as well.
KIND_ALIASES: dict[str, str] = {
    **dict.fromkeys(["实地走访", "走访", "实地调研"], VisitKind.SITE_VISIT),
    **dict.fromkeys(["调研座谈", "座谈", "调研", "座谈会"], VisitKind.SURVEY_MEETING),
    **dict.fromkeys(["入户走访", "入户"], VisitKind.HOUSEHOLD),
    **dict.fromkeys(["走访企业", "企业走访", "服务企业"], VisitKind.ENTERPRISE),
    **dict.fromkeys(["信访户家访", "信访家访", "家访"], VisitKind.PETITIONER),
    **dict.fromkeys(["党建", "基层党建"], VisitKind.PARTY_BUILDING),
    **dict.fromkeys(["基层治理", "社会治理", "社区治理", "治理"], VisitKind.GOVERNANCE),
    **dict.fromkeys(["应急值守", "应急", "值守", "疫情防控"], VisitKind.EMERGENCY),
    **dict.fromkeys(["政策宣讲", "宣讲"], VisitKind.POLICY_TALK),
}
# The Chinese name of each kind, as the sheets write it: shown in the error for an unknown kind.
KIND_NAMES = ["实地走访", "调研座谈", "入户走访", "走访企业", "信访户家访", "党建", "基层治理", "应急值守", "政策宣讲"]
UNIT_PLACE_KINDS = {
    UnitKind.COMMUNITY: PlaceKind.COMMUNITY,
    UnitKind.ENTERPRISE: PlaceKind.ENTERPRISE,
    UnitKind.COMPOUND: PlaceKind.COMPOUND,
}
MAX_TEXT = 200  # a place's description; the model keeps 200 characters
# What a row gives visit_create, under the same names.
VISIT_FIELDS = (
    "person date kind place_kind unit contact_point place_detail hours start_time end_time participants notes "
    "late_reason"
)


def parse_kind(text: str) -> str:
    raw = cells.plain(text).replace(" ", "")
    if not raw:
        raise cells.CellError(_("The kind of visit is empty."))
    if raw.lower() in VisitKind.values:
        return raw.lower()
    if raw in KIND_ALIASES:
        return KIND_ALIASES[raw]
    for kind in VisitKind:
        if raw in {str(kind.label), str(kind.label).split("(")[-1].rstrip(")")}:
            return kind.value
    raise cells.CellError(
        _("Unknown kind of visit “%(value)s”: write one of %(kinds)s.")
        % {"value": raw[:30], "kinds": "、".join(KIND_NAMES)}
    )


@dataclass
class PlannedRow(Row):
    """One data row: each cell as written and what it was read as, and what happens to the row."""

    person_text: str = ""
    person: Person | None = None
    date_text: str = ""
    date: dt.date | None = None
    hours_text: str = ""
    hours: Decimal | None = None
    kind_text: str = ""
    place_text: str = ""
    notes: str = ""
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    kind: str = ""
    place_kind: str = ""
    unit: Unit | None = None
    contact_point: ContactPoint | None = None
    place_detail: str = ""
    participants: int = 1  # the person themself, when the sheet does not say
    late_reason: str = ""

    @property
    def visit(self) -> Visit | None:
        return self.saved

    @property
    def kind_display(self) -> str:
        return str(VisitKind(self.kind).label) if self.kind else self.kind_text

    @property
    def place_kind_display(self) -> str:
        return str(PlaceKind(self.place_kind).label) if self.place_kind else ""

    @property
    def time_display(self) -> str:
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}" if self.start_time and self.end_time else ""

    @property
    def hours_display(self) -> str:
        if self.hours is not None:
            return f"{self.hours.normalize():f}"
        return self.time_display or self.hours_text


class ImportReport(TableReport):
    """What reading a visit sheet found, row by row."""


class VisitImporter(TableImporter[PlannedRow]):
    """The visit sheet: one visit a row; the place a contact point, a unit, a household or free text."""

    columns = [
        Column(PERSON, ("人员", "干部", "党员干部", "走访人", "走访人员", "走访干部", "参加人", "person", "name"),
               required=True, fields=("person",), attr="person_text"),
        Column(DATE, ("走访日期", "时间日期", "走访时间", "日期时间", "date"), required=True, fields=("date",),
               attr="date_text"),
        Column(HOURS, ("小时", "小时数", "时长小时", "时长h", "工作时长", "走访时长", "用时", "hours"),
               fields=("hours",), attr="hours_text"),
        Column(START, ("开始", "起始时间", "start"), fields=("start_time",)),
        Column(END, ("结束", "end"), fields=("end_time",)),
        Column(KIND, ("类别", "走访类型", "工作类型", "走访形式", "形式", "方式", "kind"), required=True,
               fields=("kind",), attr="kind", parse=parse_kind),
        Column(PLACE, ("走访地点", "走访对象", "对象", "地点对象", "走访单位", "单位", "place"), required=True,
               fields=("place_kind", "unit", "contact_point", "place_detail")),
        Column(NOTES, ("内容", "工作内容", "走访内容", "走访情况", "情况", "notes"), fields=("notes",)),
        Column(PARTICIPANTS, ("参与人数", "参加人数", "participants"), fields=("participants",)),
        Column(LATE_REASON, ("补录理由", "补录说明", "late_reason"), fields=("late_reason",)),
    ]  # fmt: skip
    row_class = PlannedRow
    report_class = ImportReport
    format_hint = gettext_lazy("Upload the visit sheet as an .xlsx or .csv file.")
    model = Visit

    def __init__(self, *, year: int | None = None) -> None:
        self.year = year

    @classmethod
    def missing(cls, found: set[str]) -> list[str]:
        lacking = super().missing(found)
        return lacking if HOURS in found or {START, END} <= found else [*lacking, HOURS]

    def start(self, report: ImportReport) -> None:
        self.now = timezone.now()
        self.people = PeopleByName(Person.objects.exclude(name="").order_by("id"))
        self.units = UnitsByName(Unit.objects.filter(kind__in=list(UNIT_PLACE_KINDS)).order_by("id"))
        self.points: dict[tuple[int, str], ContactPoint] = {}
        for point in ContactPoint.objects.select_related("unit").order_by("id"):
            names = {point.place} if point.unit is None else {point.unit.name, point.unit.short_name}
            for name in names - {""}:
                self.points.setdefault((point.leader_id, cells.name_key(name)), point)

    def read(self, row: PlannedRow, source: SourceRow) -> None:
        row.kind_text = source.get(KIND)
        row.place_text = cells.normalise_space(source.get(PLACE))
        row.notes = source.get(NOTES).strip()
        row.late_reason = source.get(LATE_REASON).strip()
        name = cells.plain(row.person_text)
        person = self.people.find(name) if name else None
        if not name:
            row.error(PERSON, _("The name is empty."))
        elif isinstance(person, str):
            row.error(PERSON, person)
        elif person is None:
            row.error(PERSON, _("Nobody named “%(name)s”. Add the person first.") % {"name": name[:40]})
        else:
            row.person = person
        try:
            row.date = cells.parse_date(row.date_text, year=self.year)
        except cells.CellError as exc:
            row.error(DATE, exc.message)
        self._read_hours(row, source)
        participants = cells.plain(source.get(PARTICIPANTS))
        if participants:
            if participants.isdecimal() and len(participants) < 7:
                row.participants = int(participants)
            else:
                row.error(PARTICIPANTS, _("Write the number of participants as a whole number."))
        self._resolve_place(row)

    def _read_hours(self, row: PlannedRow, source: SourceRow) -> None:
        start_text, end_text = source.get(START), source.get(END)
        if cells.plain(start_text) or cells.plain(end_text):
            for column, text, attr in ((START, start_text, "start_time"), (END, end_text, "end_time")):
                if not cells.plain(text):
                    row.error(column, _("Give both the start and the end time, or the hours."))
                    continue
                try:
                    setattr(row, attr, cells.parse_time(text))
                except cells.CellError as exc:
                    row.error(column, exc.message)
        if cells.plain(row.hours_text):
            span = cells.parse_time_range(row.hours_text)
            if span is not None and row.start_time is None:
                row.start_time, row.end_time = span
                return
            try:
                row.hours = cells.parse_hours(row.hours_text)
            except cells.CellError as exc:
                row.error(HOURS, exc.message)
        elif row.start_time is None and row.end_time is None and not any(e.column in (START, END) for e in row.errors):
            row.error(HOURS, _("Give the hours, or both the start and the end time."))

    def _resolve_place(self, row: PlannedRow) -> None:
        """A contact point of the person, else a community, enterprise or compound, else free text."""
        text = cells.plain(row.place_text)
        if not text:
            row.error(PLACE, _("The place is empty."))
            return
        point = self.points.get((row.person.pk, cells.name_key(text))) if row.person is not None else None
        if point is not None:
            row.place_kind, row.contact_point = PlaceKind.CONTACT_POINT, point
            return
        units = self.units.named(text)
        if len(units) > 1:
            row.error(PLACE, _("Several communities, enterprises or compounds are named “%(name)s”.") % {"name": text})
        elif units:
            row.place_kind, row.unit = UNIT_PLACE_KINDS[UnitKind(units[0].kind)], units[0]
        elif len(row.place_text) > MAX_TEXT:
            row.error(PLACE, _("The place is longer than %(n)d characters.") % {"n": MAX_TEXT})
        else:
            household = row.kind in (VisitKind.HOUSEHOLD, VisitKind.PETITIONER)
            row.place_kind = PlaceKind.HOUSEHOLD if household else PlaceKind.OTHER
            row.place_detail = row.place_text.strip()

    def key(self, row: PlannedRow) -> str:
        """The person, the day, the times, the hours, the kind, the place, the notes."""
        return cells.digest(
            "fieldwork.visit",
            str(row.person.pk if row.person else ""),
            row.date.isoformat() if row.date else "",
            f"{row.start_time or ''}-{row.end_time or ''}",
            f"{row.hours.normalize():f}" if row.hours is not None else "",
            row.kind,
            cells.name_key(row.place_text),
            " ".join(row.notes.split()),
        )

    def save(self, row: PlannedRow, *, actor: Actor) -> Visit:
        assert row.person is not None and row.date is not None  # a row without errors has both
        fields = {name: getattr(row, name) for name in VISIT_FIELDS.split()}  # the row's names are the service's
        return visit_create(actor=actor, import_key=row.key, now=self.now, **fields)

    def record(self, report: ImportReport, *, actor: Actor) -> None:
        audit_record(actor=actor, action="fieldwork.visit_import", after=self.summary(report))


def import_plan(*, name: str, data: bytes, year: int | None = None) -> ImportReport:
    """Read and check a sheet without writing anything."""
    return VisitImporter(year=year).plan(name=name, data=data)


def import_visits(
    *,
    name: str,
    data: bytes,
    actor: Actor,
    year: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the sheet all or nothing. A dry run makes the same writes and rolls them back.

    `progress(done, total)` is told as each new row is written (a job's progress bar).
    """
    return VisitImporter(year=year).run(name=name, data=data, actor=actor, dry_run=dry_run, progress=progress)


def describe(row: PlannedRow) -> str:
    """One line per row for the command: what it is read as and what happens to it."""
    parts = [
        _("row %(row)d") % {"row": row.number},
        f"[{state_label(row)}]",
        row.person.display_name if row.person else cells.plain(row.person_text),
        row.date.isoformat() if row.date else cells.plain(row.date_text),
        row.hours_display,
        row.kind_display,
        f"{row.place_kind_display}: {row.place_text}" if row.place_kind else row.place_text,
    ]
    return " | ".join(p for p in parts if p)
