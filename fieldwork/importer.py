"""Import the visit sheets offices keep (.xlsx or .csv): read, check every row, then write all rows or none.

Each row becomes a visit through `visit_create`, exactly as if it had been typed into the visit form,
so the same checks apply (future dates, more than 24 hours in a day, places that must match their kind).
The dry run goes through the same writes inside a transaction that is always rolled back, so it
reports every error a real run would meet and leaves nothing behind. A row's import key is a hash of
what it says, so importing the same sheet again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.services import Actor
from fieldwork.models import PlaceKind, Visit, VisitKind
from fieldwork.services import visit_create
from matters.exchange import cells, reader
from matters.exchange.importer import DUPLICATE, ERROR, EXISTING, NEW, RowError, RowState, TableReport
from org.models import ContactPoint, Person, PersonCategory, Unit, UnitKind

__all__ = ["ImportReport", "PlannedRow", "RowError", "import_visits", "parse_date", "parse_hours"]

FORMATS = ("xlsx", "csv")

# The sheet's columns. Offices name them in many ways; these are the file format, so they are not translated.
PERSON, DATE, HOURS, START, END, KIND, PLACE, NOTES, PARTICIPANTS = (
    "姓名",
    "日期",
    "时长",
    "开始时间",
    "结束时间",
    "类型",
    "地点",
    "备注",
    "人数",
)
REQUIRED_COLUMNS = [PERSON, DATE, KIND, PLACE]
_ALIASES = {
    cells.header_key(alias).lower(): column
    for column, aliases in {
        PERSON: ["姓名", "人员", "干部", "党员干部", "走访人", "走访人员", "走访干部", "参加人", "person", "name"],
        DATE: ["日期", "走访日期", "时间日期", "走访时间", "日期时间", "date"],
        HOURS: ["时长", "小时", "小时数", "时长小时", "时长h", "工作时长", "走访时长", "用时", "hours"],
        START: ["开始时间", "开始", "起始时间", "start"],
        END: ["结束时间", "结束", "end"],
        KIND: ["类型", "类别", "走访类型", "工作类型", "走访形式", "形式", "方式", "kind"],
        PLACE: ["地点", "走访地点", "走访对象", "对象", "地点对象", "走访单位", "单位", "place"],
        NOTES: ["备注", "内容", "工作内容", "走访内容", "走访情况", "情况", "notes"],
        PARTICIPANTS: ["人数", "参与人数", "参加人数", "participants"],
    }.items()
    for alias in aliases
}

# The kinds as offices write them; the labels and codes of VisitKind are understood as well.
KIND_ALIASES: dict[str, str] = {
    "实地走访": VisitKind.SITE_VISIT,
    "走访": VisitKind.SITE_VISIT,
    "实地调研": VisitKind.SITE_VISIT,
    "调研座谈": VisitKind.SURVEY_MEETING,
    "座谈": VisitKind.SURVEY_MEETING,
    "调研": VisitKind.SURVEY_MEETING,
    "座谈会": VisitKind.SURVEY_MEETING,
    "入户走访": VisitKind.HOUSEHOLD,
    "入户": VisitKind.HOUSEHOLD,
    "走访企业": VisitKind.ENTERPRISE,
    "企业走访": VisitKind.ENTERPRISE,
    "服务企业": VisitKind.ENTERPRISE,
    "信访户家访": VisitKind.PETITIONER,
    "信访家访": VisitKind.PETITIONER,
    "家访": VisitKind.PETITIONER,
    "党建": VisitKind.PARTY_BUILDING,
    "基层党建": VisitKind.PARTY_BUILDING,
    "基层治理": VisitKind.GOVERNANCE,
    "社会治理": VisitKind.GOVERNANCE,
    "社区治理": VisitKind.GOVERNANCE,
    "治理": VisitKind.GOVERNANCE,
    "应急值守": VisitKind.EMERGENCY,
    "应急": VisitKind.EMERGENCY,
    "值守": VisitKind.EMERGENCY,
    "疫情防控": VisitKind.EMERGENCY,
    "政策宣讲": VisitKind.POLICY_TALK,
    "宣讲": VisitKind.POLICY_TALK,
}
# The Chinese name of each kind, as the sheets write it: shown in the error for an unknown kind.
KIND_NAMES = ["实地走访", "调研座谈", "入户走访", "走访企业", "信访户家访", "党建", "基层治理", "应急值守", "政策宣讲"]

UNIT_PLACE_KINDS = {
    UnitKind.COMMUNITY: PlaceKind.COMMUNITY,
    UnitKind.ENTERPRISE: PlaceKind.ENTERPRISE,
    UnitKind.COMPOUND: PlaceKind.COMPOUND,
}
HALF_DAY = Decimal(4)
FULL_DAY = Decimal(8)
MAX_TEXT = 200  # a place's description; the model keeps 200 characters


class SheetError(Exception):
    """The file cannot be read as a visit sheet; the message is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- cells ---------------------------------------------------------------------------------------------


_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_FULL_DATE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*[日号]?(?:\s+.*)?$")
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _text(value: str) -> str:
    return " ".join(cells.fold(value or "").split())


def parse_date(text: str, *, year: int | None = None) -> dt.date:
    """'2022-06-03', '2022.6.3', '2022/6/3', '2022年6月3日', '6月3日' (in `year`), or an Excel day number."""
    raw = _text(text)
    if not raw:
        raise cells.CellError(_("The date is empty."))
    try:
        match = _FULL_DATE.match(raw)
        if match:
            y, m, d = (int(g) for g in match.groups())
            if 2000 <= y <= 2100:
                return dt.date(y, m, d)
        match = _SHORT_DATE.match(raw)
        if match:
            m, d = (int(g) for g in match.groups())
            return dt.date(year or timezone.localdate().year, m, d)
        if re.fullmatch(r"\d{5}(?:\.0+)?", raw):  # a date cell saved as a plain number: days since 1899-12-30
            day = _EXCEL_EPOCH + dt.timedelta(days=int(float(raw)))
            if 2000 <= day.year <= 2100:
                return day
    except ValueError:
        pass
    raise cells.CellError(
        _("Cannot read “%(value)s” as a date: write it like 2022-06-03, 2022.6.3 or 6月3日.") % {"value": raw[:30]}
    )


_HOURS = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:个)?\s*(?:小时|钟头|h|hr|hrs|hours?)?$", re.IGNORECASE)
_CN_HOURS = re.compile(r"^([零一二两三四五六七八九十]+)(半)?\s*(?:个)?\s*(?:小时|钟头)$")
_WORDS = {
    "半天": HALF_DAY,
    "半日": HALF_DAY,
    "上午": HALF_DAY,
    "下午": HALF_DAY,
    "一天": FULL_DAY,
    "全天": FULL_DAY,
    "1天": FULL_DAY,
    "整天": FULL_DAY,
    "半小时": Decimal("0.5"),
}


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1:]]
    if "十" in text:
        tens, _sep, units = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text] if len(text) == 1 else -1


def parse_hours(text: str) -> Decimal:
    """'3', '3.5', '3小时', '3.5h', '三个半小时', '半天' (4), '一天' (8); full-width digits too."""
    raw = _text(text).replace(" ", "")
    if not raw:
        raise cells.CellError(_("The hours are empty."))
    if raw in _WORDS:
        return _WORDS[raw]
    match = _HOURS.match(raw)
    try:
        if match:
            return Decimal(match.group(1))
        match = _CN_HOURS.match(raw.replace("个半", "半"))
        if match:
            whole = _cn_number(match.group(1))
            if whole >= 0:
                return Decimal(whole) + (Decimal("0.5") if match.group(2) else 0)
    except (InvalidOperation, KeyError):
        pass
    raise cells.CellError(
        _("Cannot read “%(value)s” as hours: write a number like 3 or 3.5, or 半天.") % {"value": raw[:30]}
    )


_TIME = re.compile(r"^(\d{1,2})\s*(?:[:：.点时]\s*(\d{1,2})?\s*(?:分)?)?(?::\d{1,2})?$")
_RANGE = re.compile(r"^(.+?)\s*(?:-|–|—|~|～|至|到)\s*(.+)$")


def parse_time(text: str) -> dt.time:
    """'9:00', '09:00:00', '9点', '9点30', '14.30'."""
    raw = _text(text).replace(" ", "")
    match = _TIME.match(raw)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour <= 23 and minute <= 59:
            return dt.time(hour, minute)
    raise cells.CellError(_("Cannot read “%(value)s” as a time: write it like 9:00 or 14:30.") % {"value": raw[:30]})


def parse_time_range(text: str) -> tuple[dt.time, dt.time] | None:
    """'9:00-12:00' in an hours cell → (start, end); None when the cell is not a range of times."""
    match = _RANGE.match(_text(text))
    if match is None:
        return None
    try:
        return parse_time(match.group(1)), parse_time(match.group(2))
    except cells.CellError:
        return None


def parse_kind(text: str) -> str:
    raw = _text(text).replace(" ", "")
    if not raw:
        raise cells.CellError(_("The kind of visit is empty."))
    key = raw.lower()
    if key in VisitKind.values:
        return key
    if raw in KIND_ALIASES:
        return KIND_ALIASES[raw]
    for kind in VisitKind:
        if raw in {str(kind.label), str(kind.label).split("(")[-1].rstrip(")")}:
            return kind.value
    raise cells.CellError(
        _("Unknown kind of visit “%(value)s”: write one of %(kinds)s.")
        % {"value": raw[:30], "kinds": "、".join(KIND_NAMES)}
    )


# --- reading -------------------------------------------------------------------------------------------


def file_format(name: str) -> str:
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix in ("csv", "txt"):
        return "csv"
    if suffix in ("xls", "et"):
        raise SheetError(
            _("Old .%(suffix)s files cannot be read: save the sheet as .xlsx and upload it again.") % {"suffix": suffix}
        )
    raise SheetError(_("Upload the visit sheet as an .xlsx or .csv file."))


def _header_map(row: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, text in enumerate(row):
        column = _ALIASES.get(cells.header_key(text).lower())
        if column is not None and column not in found:
            found[column] = index
    return found


def _has_hours(found: dict[str, int]) -> bool:
    return HOURS in found or (START in found and END in found)


def _locate(kind: str, rows: list[tuple[int, list[str]]]) -> reader.Table:
    """Find the header among the first rows (a title may sit above it) and keep the non-empty rows below it."""
    best: tuple[int, dict[str, int]] | None = None
    for number, row in rows[: reader.HEADER_SCAN_ROWS]:
        found = _header_map(row)
        if best is None or len(found) > len(best[1]):
            best = (number, found)
        if all(c in found for c in REQUIRED_COLUMNS) and _has_hours(found):
            best = (number, found)
            break
    if best is None or len(best[1]) < 2:
        raise SheetError(
            _("No header row found in the first %(n)d rows: the sheet needs the columns %(columns)s.")
            % {"n": reader.HEADER_SCAN_ROWS, "columns": "、".join([PERSON, DATE, HOURS, KIND, PLACE])}
        )
    header_row, found = best
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if not _has_hours(found):
        missing.append(HOURS)
    if missing:
        raise SheetError(
            _("The sheet (header in row %(row)d) has no column %(columns)s.")
            % {"row": header_row, "columns": "、".join(f"“{c}”" for c in missing)}
        )
    sheet = reader.Table(file_format=kind, header_row=header_row, columns=list(found))
    for number, row in rows:
        if number <= header_row:
            continue
        values = {c: (row[i] if i < len(row) else "").strip() for c, i in found.items()}
        if not any(values.values()):
            continue
        if len(_header_map(row)) >= len(REQUIRED_COLUMNS):
            continue  # the header repeated
        sheet.rows.append(reader.SourceRow(number=number, cells=values))
    if len(sheet.rows) > reader.MAX_ROWS:
        raise SheetError(_("The sheet has more than %(n)d rows; split it.") % {"n": reader.MAX_ROWS})
    return sheet


def read_sheet(name: str, data: bytes) -> reader.Table:
    """Read the visit sheet of a file; raise SheetError, never anything else, on a bad file."""
    kind = file_format(name)
    if not data:
        raise SheetError(_("The file is empty."))
    try:
        if kind == "csv":
            return _locate(kind, reader.csv_rows(data))
        first_error: SheetError | None = None
        for rows in reader.xlsx_sheets(data):
            if not any(any(c.strip() for c in r) for _n, r in rows):
                continue
            try:
                return _locate(kind, rows)
            except SheetError as exc:
                first_error = first_error or exc
        raise first_error or SheetError(_("The file has no rows."))
    except SheetError:
        raise
    except reader.TableError as exc:
        raise SheetError(exc.message) from exc
    except Exception as exc:  # a parser's own error on a damaged file; the user needs one clear sentence
        raise SheetError(
            _("The file could not be read as %(format)s (%(detail)s). Open it, save it again and retry.")
            % {"format": kind, "detail": type(exc).__name__}
        ) from exc


# --- planning ------------------------------------------------------------------------------------------


@dataclass
class PlannedRow(RowState):
    """One data row: what it says, what it resolves to, and what happens to it."""

    number: int
    person_text: str = ""
    date_text: str = ""
    hours_text: str = ""
    kind_text: str = ""
    place_text: str = ""
    notes: str = ""
    person: Person | None = None
    date: dt.date | None = None
    hours: Decimal | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    kind: str = ""
    place_kind: str = ""
    unit: Unit | None = None
    contact_point: ContactPoint | None = None
    place_detail: str = ""
    participants: int = 0
    key: str = ""
    existing: Visit | None = None
    duplicate_of: int | None = None
    errors: list[RowError] = field(default_factory=list)
    visit: Visit | None = None  # set once written

    @property
    def kind_display(self) -> str:
        return str(VisitKind(self.kind).label) if self.kind else self.kind_text

    @property
    def place_kind_display(self) -> str:
        return str(PlaceKind(self.place_kind).label) if self.place_kind else ""

    @property
    def time_display(self) -> str:
        if self.start_time and self.end_time:
            return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        return ""

    @property
    def hours_display(self) -> str:
        if self.hours is not None:
            return f"{self.hours.normalize():f}"
        return self.time_display or self.hours_text

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))


class ImportReport(TableReport):
    """What reading a visit sheet found, row by row."""


def _name_key(name: str) -> str:
    return "".join(cells.fold(name).split())


class _Directory:
    """People, units and contact points by name: the lookups a visit sheet needs, loaded once."""

    def __init__(self) -> None:
        self.people: dict[str, list[Person]] = {}
        for person in Person.objects.exclude(name="").order_by("id"):
            self.people.setdefault(_name_key(person.name), []).append(person)
        self.units: dict[str, list[Unit]] = {}
        for unit in Unit.objects.filter(kind__in=list(UNIT_PLACE_KINDS)).order_by("id"):
            for name in {unit.name, unit.short_name} - {""}:
                self.units.setdefault(_name_key(name), []).append(unit)
        self.points: dict[tuple[int, str], ContactPoint] = {}
        for point in ContactPoint.objects.select_related("unit").order_by("id"):
            names = {point.place} if point.unit is None else {point.unit.name, point.unit.short_name}
            for name in names - {""}:
                self.points.setdefault((point.leader_id, _name_key(name)), point)

    def person(self, name: str) -> Person | str | None:
        found = self.people.get(_name_key(name), [])
        if len(found) > 1:
            leaders = [p for p in found if p.category == PersonCategory.LEADER]
            if len(leaders) == 1:
                return leaders[0]
            return _("Several people are named “%(name)s”; rename one of them first.") % {"name": name}
        return found[0] if found else None

    def unit(self, name: str) -> Unit | str | None:
        found = self.units.get(_name_key(name), [])
        if len(found) > 1:
            return _("Several communities, enterprises or compounds are named “%(name)s”.") % {"name": name}
        return found[0] if found else None

    def contact_point(self, person: Person, name: str) -> ContactPoint | None:
        return self.points.get((person.pk, _name_key(name)))


def row_key(row: PlannedRow) -> str:
    """What makes a row the same row next time: the person, the day, the times, the kind, the place, the notes."""
    parts = [
        "fieldwork.visit",
        str(row.person.pk if row.person else ""),
        row.date.isoformat() if row.date else "",
        f"{row.start_time or ''}-{row.end_time or ''}",
        f"{row.hours.normalize():f}" if row.hours is not None else "",
        row.kind,
        _name_key(row.place_text),
        " ".join(row.notes.split()),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _resolve_place(row: PlannedRow, directory: _Directory) -> None:
    """A contact point of the person, else a community, enterprise or compound, else free text."""
    text = _text(row.place_text)
    if not text:
        row.error(PLACE, _("The place is empty."))
        return
    if row.person is not None:
        point = directory.contact_point(row.person, text)
        if point is not None:
            row.place_kind, row.contact_point = PlaceKind.CONTACT_POINT, point
            return
    unit = directory.unit(text)
    if isinstance(unit, str):
        row.error(PLACE, unit)
        return
    if unit is not None:
        row.place_kind, row.unit = UNIT_PLACE_KINDS[UnitKind(unit.kind)], unit
        return
    if len(row.place_text) > MAX_TEXT:
        row.error(PLACE, _("The place is longer than %(n)d characters.") % {"n": MAX_TEXT})
        return
    household = row.kind in (VisitKind.HOUSEHOLD, VisitKind.PETITIONER)
    row.place_kind = PlaceKind.HOUSEHOLD if household else PlaceKind.OTHER
    row.place_detail = row.place_text.strip()


def _plan_row(source: reader.SourceRow, *, directory: _Directory, year: int | None) -> PlannedRow:
    row = PlannedRow(
        number=source.number,
        person_text=source.get(PERSON),
        date_text=source.get(DATE),
        hours_text=source.get(HOURS),
        kind_text=source.get(KIND),
        place_text=" ".join(source.get(PLACE).split()),
        notes=source.get(NOTES).strip(),
    )
    name = _text(row.person_text)
    if not name:
        row.error(PERSON, _("The name is empty."))
    else:
        person = directory.person(name)
        if isinstance(person, str):
            row.error(PERSON, person)
        elif person is None:
            row.error(PERSON, _("Nobody named “%(name)s”. Add the person first.") % {"name": name[:40]})
        else:
            row.person = person
    try:
        row.date = parse_date(row.date_text, year=year)
    except cells.CellError as exc:
        row.error(DATE, exc.message)
    try:
        row.kind = parse_kind(row.kind_text)
    except cells.CellError as exc:
        row.error(KIND, exc.message)
    _read_hours(row, source)
    participants = _text(source.get(PARTICIPANTS))
    if participants:
        if participants.isdecimal() and len(participants) < 7:
            row.participants = int(participants)
        else:
            row.error(PARTICIPANTS, _("Write the number of participants as a whole number."))
    _resolve_place(row, directory)
    return row


def _read_hours(row: PlannedRow, source: reader.SourceRow) -> None:
    start_text, end_text = source.get(START), source.get(END)
    if _text(start_text) or _text(end_text):
        for column, text, attr in ((START, start_text, "start_time"), (END, end_text, "end_time")):
            if not _text(text):
                row.error(column, _("Give both the start and the end time, or the hours."))
                continue
            try:
                setattr(row, attr, parse_time(text))
            except cells.CellError as exc:
                row.error(column, exc.message)
    if _text(row.hours_text):
        span = parse_time_range(row.hours_text)
        if span is not None and row.start_time is None:
            row.start_time, row.end_time = span
            return
        try:
            row.hours = parse_hours(row.hours_text)
        except cells.CellError as exc:
            row.error(HOURS, exc.message)
    elif row.start_time is None and row.end_time is None and not any(e.column in (START, END) for e in row.errors):
        row.error(HOURS, _("Give the hours, or both the start and the end time."))


def import_plan(*, name: str, data: bytes, year: int | None = None) -> ImportReport:
    """Read and check a sheet without touching the database: the first half of an import."""
    report = ImportReport(file_name=name)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        report.file_errors.append(RowError(None, "", too_large_message()))
        return report
    try:
        sheet = read_sheet(name, data)
    except SheetError as exc:
        report.file_errors.append(RowError(None, "", exc.message))
        return report
    report.file_format, report.header_row = sheet.file_format, sheet.header_row
    if not sheet.rows:
        report.file_errors.append(RowError(None, "", _("The sheet has a header but no rows.")))
        return report
    directory = _Directory()
    seen: dict[str, int] = {}
    for source in sheet.rows:
        row = _plan_row(source, directory=directory, year=year)
        if not row.errors:
            row.key = row_key(row)
            if row.key in seen:
                row.duplicate_of = seen[row.key]
            else:
                seen[row.key] = row.number
        report.rows.append(row)
    existing = {v.import_key: v for v in Visit.objects.filter(import_key__in=list(seen))}
    for row in report.rows:
        if row.key and row.duplicate_of is None:
            row.existing = existing.get(row.key)
    return report


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB; a visit sheet is far smaller.") % {
        "mb": f"{settings.UPLOAD_MAX_BYTES / (1024 * 1024):.0f}"
    }


# --- writing -------------------------------------------------------------------------------------------


# visit_create's fields → the sheet's columns, for its refusals.
_COLUMN_OF_FIELD = {
    "person": PERSON,
    "date": DATE,
    "hours": HOURS,
    "start_time": START,
    "end_time": END,
    "kind": KIND,
    "place_kind": PLACE,
    "unit": PLACE,
    "contact_point": PLACE,
    "place_detail": PLACE,
    "notes": NOTES,
    "participants": PARTICIPANTS,
}


def _messages(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [(name, [str(m) for e in errors for m in e]) for name, errors in exc.error_dict.items()]
    return [("", [str(m) for m in exc.messages])]


class _Rollback(Exception):
    """Undo every write: a dry run, or a row failed."""


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
    report = import_plan(name=name, data=data, year=year)
    report.dry_run = dry_run
    if report.file_errors or not report.rows:
        return report
    try:
        with transaction.atomic():
            _write(report, actor=actor, progress=progress)
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        for row in report.rows:
            row.visit = None
        return report
    report.written = True
    return report


def _write(report: ImportReport, *, actor: Actor, progress: Callable[[int, int], None] | None = None) -> None:
    now = timezone.now()
    total, done = report.new_count, 0
    for row in report.rows:
        if row.state != NEW:
            continue
        done += 1
        if progress is not None:
            progress(done, total)
        assert row.person is not None and row.date is not None  # a row without errors has both
        try:
            with transaction.atomic():
                row.visit = visit_create(
                    actor=actor,
                    person=row.person,
                    date=row.date,
                    kind=row.kind,
                    place_kind=row.place_kind,
                    unit=row.unit,
                    contact_point=row.contact_point,
                    place_detail=row.place_detail,
                    hours=row.hours,
                    start_time=row.start_time,
                    end_time=row.end_time,
                    participants=row.participants,
                    notes=row.notes,
                    import_key=row.key,
                    now=now,
                )
        except ValidationError as exc:
            for field_name, messages in _messages(exc):
                row.error(_COLUMN_OF_FIELD.get(field_name, ""), " ".join(messages))
        except IntegrityError:
            row.error("", _("This row was imported by someone else at the same time; nothing was written."))
    if report.new_count and not report.errors:
        audit_record(
            actor=actor,
            action="fieldwork.visit_import",
            after={
                "file": report.file_name[:200],
                "created": report.new_count,
                "already_imported": report.existing_count,
                "repeated": report.duplicate_count,
            },
        )


def describe(row: PlannedRow) -> str:
    """One line per row for the command: what it is read as and what happens to it."""
    state = {
        NEW: _("new"),
        EXISTING: _("already imported"),
        DUPLICATE: _("repeats row %(row)s") % {"row": row.duplicate_of},
        ERROR: _("error"),
    }[row.state]
    parts = [
        _("row %(row)d") % {"row": row.number},
        f"[{state}]",
        row.person.display_name if row.person else _text(row.person_text),
        row.date.isoformat() if row.date else _text(row.date_text),
        row.hours_display,
        row.kind_display,
        f"{row.place_kind_display}: {row.place_text}" if row.place_kind else row.place_text,
    ]
    return " | ".join(p for p in parts if p)
