"""述职 duty report: one person's weekly duties, totals, visits and matters led over a period, as .docx or PDF.

The report is built once as plain sections (a heading, lines, a table) and then written by either
writer, so the Word and the PDF file say the same thing. It leaves out what must not travel with a
report read out at a meeting: a household's description, and the notes of household and petitioner
visits (see `visit_place`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from campaigns.models import Campaign
from core.dates import add_months
from core.documents import REPORT, Document, Section, Table, write_docx, write_pdf
from core.privacy import redact
from core.tables.cells import format_day, normalise_space
from fieldwork import duties
from fieldwork.models import FIELD_KINDS, PlaceKind, Visit, VisitKind
from matters.exchange import cells
from matters.models import Matter
from matters.workflow import FINISHED, Status
from org.models import Person

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
MAX_MONTHS = 24  # a report covers a year or two at most; longer is a typing mistake
NOTES_LENGTH = 30
MET = "✓"
SHORT = "✗"
# Visits whose place and notes describe a family: the report names only the kind of place.
PRIVATE_KINDS = frozenset({VisitKind.HOUSEHOLD, VisitKind.PETITIONER})

__all__ = ["CONTENT_TYPES", "FORMATS", "DutyReport", "build_report", "period_error"]


@dataclass
class Totals:
    visits: int = 0
    hours: Decimal = Decimal(0)
    field_days: int = 0
    households: int = 0
    enterprises: int = 0
    matters_solved: int = 0


@dataclass
class DutyReport:
    person: Person
    start: dt.date
    end: dt.date
    title: str
    sections: list[Section]
    totals: Totals

    def filename(self, file_format: str) -> str:
        """述职报告_杨立新_2022-06-01_2022-06-30.docx"""
        name = "".join(self.person.display_name.split()) or str(self.person.pk)
        prefix = pgettext("file name", "duty-report")
        return f"{prefix}_{name}_{self.start.isoformat()}_{self.end.isoformat()}.{file_format}"

    def document(self) -> Document:
        """The report as a document: portrait A4, the title, then one section after the other."""
        return Document(title=self.title, sections=self.sections, layout=REPORT)

    def write(self, file_format: str, out: IO[bytes]) -> None:
        """Write the .docx or PDF file; DocumentError when the PDF's font is missing."""
        writers = {"docx": write_docx, "pdf": write_pdf}
        if file_format not in writers:
            raise ValueError(f"unknown format {file_format!r}")
        writers[file_format](self.document(), out)

    def as_bytes(self, file_format: str) -> bytes:
        buffer = io.BytesIO()
        self.write(file_format, buffer)
        return buffer.getvalue()


# --- period ----------------------------------------------------------------------------------------------


def default_period(*, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The current campaign's start to today (to its end once it is over); this month without a campaign."""
    from campaigns.selectors import campaign_current

    today = today or timezone.localdate()
    campaign = campaign_current(on=today)
    if campaign is None or campaign.starts_on > today:
        return today.replace(day=1), today
    return campaign.starts_on, min(today, campaign.ends_on)


def period_error(start: dt.date, end: dt.date) -> str:
    """What is wrong with the period, in one translated sentence; "" when it is fine."""
    if end < start:
        return _("The end date (%(end)s) is before the start date (%(start)s).") % {"start": start, "end": end}
    if end >= add_months(start, MAX_MONTHS):
        return _("A duty report covers at most %(years)d years; choose a shorter period.") % {"years": MAX_MONTHS // 12}
    return ""


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


# --- reads -----------------------------------------------------------------------------------------------


def period_visits(person: Person, start: dt.date, end: dt.date) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(person=person, date__gte=start, date__lte=end)
        .select_related("unit", "contact_point__unit")
        .order_by("date", "start_time", "id")
    )


def led_matters(person: Person, start: dt.date, end: dt.date) -> QuerySet[Matter]:
    """Matters the person leads that were open at some time in the period (raised before its end, not done before it)."""
    since, until = _day_bounds(start, end)
    return (
        Matter.objects.filter(leads=person, reported_at__lt=until)
        .exclude(status__in=[Status.DECLINED, Status.MERGED])
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=since))
        .order_by("code")
        .distinct()
    )


def solved_in_period(matter: Matter, start: dt.date, end: dt.date) -> bool:
    if matter.status not in FINISHED or matter.completed_at is None:
        return False
    return start <= timezone.localdate(matter.completed_at) <= end


def totals(visits: list[Visit], matters: list[Matter], start: dt.date, end: dt.date) -> Totals:
    """The period's figures, counted the way the weekly duties count them (see fieldwork.duties)."""
    enterprises: set[tuple[str, int]] = set()
    for visit in visits:
        if visit.kind != VisitKind.ENTERPRISE:
            continue
        unit_id = visit.unit_id or (visit.contact_point.unit_id if visit.contact_point is not None else None)
        enterprises.add(("unit", unit_id) if unit_id else ("visit", visit.pk))
    return Totals(
        visits=len(visits),
        hours=sum((v.hours for v in visits), Decimal(0)),
        field_days=len({v.date for v in visits if v.kind in FIELD_KINDS}),
        households=sum(1 for v in visits if v.kind == VisitKind.HOUSEHOLD),
        enterprises=len(enterprises),
        matters_solved=sum(1 for m in matters if solved_in_period(m, start, end)),
    )


def iso_weeks(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """The ISO weeks (year, week) that the period touches, in order."""
    weeks: list[tuple[int, int]] = []
    day = start - dt.timedelta(days=start.weekday())
    while day <= end:
        year, week, _weekday = day.isocalendar()
        weeks.append((year, week))
        day += dt.timedelta(days=7)
    return weeks


# --- hooks for records kept by other apps ----------------------------------------------------------------


def pairing_and_case_sections(person: Person, start: dt.date, end: dt.date) -> list[Section]:
    """Sections on pairings (结对帮扶) and petition backlog cases (信访积案包保) in the period.

    Neither is recorded yet; when they are, return one section each here, only when there is data.
    """
    return []


EXTRA_SECTIONS: list[Callable[[Person, dt.date, dt.date], list[Section]]] = [pairing_and_case_sections]


# --- build -----------------------------------------------------------------------------------------------


def fmt_number(value: Decimal | int) -> str:
    """20 → "20", 19.50 → "19.5"."""
    return str(value) if isinstance(value, int) else duties.number(value)


def shorten(text: str, length: int = NOTES_LENGTH) -> str:
    text = normalise_space(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def visit_place(visit: Visit) -> str:
    """Where the visit was, as the report may say it: a family's description never leaves the system."""
    at_unit = visit.unit_id is not None or visit.contact_point_id is not None
    if visit.place_kind == PlaceKind.HOUSEHOLD or (visit.kind in PRIVATE_KINDS and not at_unit):
        return str(PlaceKind.HOUSEHOLD.label)
    return redact(visit.place_label)


def visit_notes(visit: Visit) -> str:
    if visit.kind in PRIVATE_KINDS or visit.place_kind == PlaceKind.HOUSEHOLD:
        return ""
    return shorten(redact(visit.notes))


def _period_label(start: dt.date, end: dt.date) -> str:
    return f"{format_day(start)}—{format_day(end)}"


def _week_section(person: Person, start: dt.date, end: dt.date, campaign: Campaign | None) -> Section:
    section = Section(_("Weekly duties"))
    weeks = []
    metrics: dict[str, str] = {}
    periods = iso_weeks(start, end)
    grid = duties.duty_grid([person], periods, campaign=campaign)  # as duty_week, for every week in one go
    for year, week in periods:
        rows = grid[(person.pk, (year, week))]
        for row in rows:
            metrics.setdefault(row.metric, str(row.label))
        weeks.append((year, week, {row.metric: row for row in rows}))
    if not metrics:
        section.lines.append(_("No weekly duty rules apply to this person in the period."))
        return section
    headers = [_("ISO week"), _("Dates"), *metrics.values()]
    table_rows = []
    met_weeks = 0
    for year, week, by_metric in weeks:
        monday, sunday = duties.week_bounds(year, week)
        line = [duties.week_label(year, week), f"{monday.month}.{monday.day}—{sunday.month}.{sunday.day}"]
        all_met = bool(by_metric)
        for metric in metrics:
            cell = by_metric.get(metric)
            if cell is None:
                line.append("—")
                continue
            all_met = all_met and cell.met
            mark = MET if cell.met else SHORT
            line.append(f"{fmt_number(cell.value)} / {fmt_number(cell.threshold)} {mark}")
        met_weeks += all_met
        table_rows.append(line)
    section.lines.append(
        _("Duties met in %(met)d of %(weeks)d weeks. Each row counts the whole ISO week, Monday to Sunday.")
        % {"met": met_weeks, "weeks": len(weeks)}
    )
    section.table = Table(headers, table_rows, [16, 16, *([20] * len(metrics))])
    return section


def _totals_section(figures: Totals) -> Section:
    rows = [
        [_("Visits"), fmt_number(figures.visits)],
        [_("Hours of grassroots work"), fmt_number(figures.hours)],
        [_("Field days"), fmt_number(figures.field_days)],
        [_("Household visits"), fmt_number(figures.households)],
        [_("Enterprises served"), fmt_number(figures.enterprises)],
        [_("Matters solved as lead"), fmt_number(figures.matters_solved)],
    ]
    return Section(_("Totals"), table=Table([_("Figure"), _("Period total")], rows, [60, 30]))


def _visits_section(visits: list[Visit]) -> Section:
    section = Section(_("Visits"))
    if not visits:
        section.lines.append(_("No visits recorded in the period."))
        return section
    rows = [
        [format_day(v.date), v.get_kind_display(), visit_place(v), fmt_number(v.hours), visit_notes(v)]
        for v in visits
    ]
    headers = [_("Date"), _("Kind"), _("Place"), _("Hours"), _("Notes")]
    section.table = Table(headers, rows, [14, 26, 30, 9, 40])
    return section


def _matters_section(matters: list[Matter], start: dt.date, end: dt.date) -> Section:
    section = Section(_("Matters led"))
    if not matters:
        section.lines.append(_("No matters led in the period."))
        return section
    solved = {m.pk for m in matters if solved_in_period(m, start, end)}
    led = ngettext("%(total)d matter led", "%(total)d matters led", len(matters)) % {"total": len(matters)}
    section.lines.append(_("%(led)s; %(solved)d solved in the period.") % {"led": led, "solved": len(solved)})
    rows = [
        [
            m.code,
            shorten(redact(m.problem), 60),  # read out at a meeting: no number a resident typed
            cells.format_deadline(m.deadline, m.deadline_precision),
            m.get_status_display(),
            MET if m.pk in solved else "",
        ]
        for m in matters
    ]
    headers = [_("Code"), _("Problem"), _("Deadline"), _("Status"), _("Solved in the period")]
    section.table = Table(headers, rows, [18, 50, 14, 14, 14])
    return section


def build_report(*, person: Person, start: dt.date, end: dt.date, campaign: Campaign | None = None) -> DutyReport:
    """The report's sections for a person and a period (check the period with `period_error` first)."""
    visits = list(period_visits(person, start, end))
    matters = list(led_matters(person, start, end))
    figures = totals(visits, matters, start, end)
    period = _period_label(start, end)
    title = _("%(name)s duty report (%(period)s)") % {"name": person.display_name, "period": period}
    unit = person.unit
    about = Section(
        "",
        lines=[
            _("Unit: %(unit)s") % {"unit": unit.name},
            _("Title: %(title)s") % {"title": person.title or "—"},
            _("Period: %(period)s") % {"period": period},
            _("Made on %(day)s.") % {"day": format_day(timezone.localdate())},
        ],
    )
    sections = [
        about,
        _week_section(person, start, end, campaign),
        _totals_section(figures),
        _visits_section(visits),
        _matters_section(matters, start, end),
    ]
    for extra in EXTRA_SECTIONS:
        sections += [s for s in extra(person, start, end) if s.lines or (s.table and s.table.rows)]
    return DutyReport(person=person, start=start, end=end, title=title, sections=sections, totals=figures)
