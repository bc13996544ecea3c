"""The dashboard's reads: the period a request asks for, and the page's charts with their tables as plain data."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaigns.selectors import campaign_current
from core.dates import add_months
from core.documents import xlsx
from matters.selectors import parse_month
from oversight import charts
from oversight.series import ChartSpec

KINDS = ("month", "quarter", "campaign", "custom")
MAX_DAYS = 400  # a custom period longer than this would be weeks by the hundred: ask for a shorter one
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    kind: str  # one of KINDS
    start: dt.date
    end: dt.date

    @property
    def month(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def quarter(self) -> str:
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    @property
    def title(self) -> str:
        return _("%(from)s to %(to)s") % {
            "from": date_format(self.start, "DATE_FORMAT"),
            "to": date_format(self.end, "DATE_FORMAT"),
        }

    def query(self) -> str:
        """The query string that asks for this period again."""
        if self.kind == "month":
            return f"period=month&month={self.month}"
        if self.kind == "quarter":
            return f"period=quarter&quarter={self.quarter}"
        if self.kind == "campaign":
            return "period=campaign"
        return f"period=custom&from={self.start.isoformat()}&to={self.end.isoformat()}"


def _campaign(today: dt.date) -> Period | None:
    campaign = campaign_current(on=today)
    return None if campaign is None else Period("campaign", campaign.starts_on, campaign.ends_on)


def default_period(today: dt.date | None = None) -> Period:
    """The campaign running today (or the nearest); without a campaign, this month."""
    today = today or timezone.localdate()
    return _campaign(today) or Period("month", today.replace(day=1), add_months(today.replace(day=1), 1) - _DAY)


_DAY = dt.timedelta(days=1)


def _date(raw: str, *, first: bool) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        if first:
            message = _("The first day “%(raw)s” is not a date: write it as 2022-07-01.")
        else:
            message = _("The last day “%(raw)s” is not a date: write it as 2022-07-31.")
        raise ValidationError(message, params={"raw": raw[:20]}) from None
    if not 2000 <= day.year <= 2100:
        raise ValidationError(_("Dates run from the year 2000 to 2100."))
    return day


def period_from(params: Mapping[str, str], today: dt.date | None = None) -> Period:
    """The period a request asks for: ?period=month&month=YYYY-MM, ?period=quarter&quarter=YYYY-Qn,
    ?period=campaign, or ?from=&to= (ISO dates, with or without period=custom); none: the default period.

    Raises ValidationError with a translated message for anything else.
    """
    today = today or timezone.localdate()
    kind = (params.get("period") or "").strip()
    if not kind:
        kind = "custom" if params.get("from") or params.get("to") else ""
        if not kind and params.get("month"):
            kind = "month"
    if not kind:
        return default_period(today)
    if kind not in KINDS:
        raise ValidationError(_("Choose a month, a quarter, the campaign or your own dates."))
    if kind == "month":
        month = parse_month(params.get("month") or "")
        if month is None:
            raise ValidationError(_("Write the month as 2022-07."))
        return Period("month", month, add_months(month, 1) - _DAY)
    if kind == "quarter":
        match = _QUARTER.fullmatch((params.get("quarter") or "").strip())
        if match is None or not 2000 <= int(match[1]) <= 2100:
            raise ValidationError(_("Write the quarter as 2022-Q3."))
        first = dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
        return Period("quarter", first, add_months(first, 3) - _DAY)
    if kind == "campaign":
        found = _campaign(today)
        if found is None:
            raise ValidationError(_("There is no campaign: choose a month, a quarter or your own dates."))
        return found
    raw_from, raw_to = params.get("from") or "", params.get("to") or ""
    if not raw_from or not raw_to:
        raise ValidationError(_("Give both dates of the period, from and to."))
    start, end = _date(raw_from, first=True), _date(raw_to, first=False)
    if start > end:
        raise ValidationError(_("The period ends before it begins: its last day comes before its first."))
    if (end - start).days >= MAX_DAYS:
        raise ValidationError(
            _("A period of your own runs for at most %(days)d days; choose a shorter one."), params={"days": MAX_DAYS}
        )
    return Period("custom", start, end)


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- The page's data -------------------------------------------------------------------------------------------


def cell(value: object) -> object:
    """A table cell as shown and downloaded: a number stays a number, no value is a dash."""
    return "—" if value is None else value


@dataclass(frozen=True)
class ChartView:
    spec: ChartSpec
    columns: list[str]
    rows: list[list[object]]

    @property
    def key(self) -> str:
        return self.spec.key


def chart_views(specs: list[ChartSpec]) -> list[ChartView]:
    views = []
    for spec in specs:
        columns, rows = spec.table()
        columns[0] = _("Item")
        views.append(ChartView(spec, columns, [[cell(value) for value in row] for row in rows]))
    return views


def chart_xlsx(spec: ChartSpec, period: Period, scope_name: str) -> bytes:
    """One chart's table as a workbook: its title, the scope and period, the header, a row per label."""
    columns, rows = spec.table()
    columns[0] = _("Item")
    about = _("%(scope)s, %(period)s") % {"scope": scope_name, "period": period.title}
    if spec.unit:
        about = _("%(about)s (unit: %(unit)s)") % {"about": about, "unit": spec.unit}

    def styled():  # type: ignore[no-untyped-def]
        yield xlsx.TITLE, [spec.title]
        yield xlsx.PLAIN, [about]
        yield xlsx.HEADER, columns
        for row in rows:
            label, *numbers = row
            yield xlsx.BODY, [str(label), *("" if v is None else v for v in numbers)]  # type: ignore[misc]

    out = io.BytesIO()
    widths = [24.0] + [14.0] * (len(columns) - 1)
    xlsx.write(out, title=spec.title, rows=styled(), widths=widths, frozen_rows=3, repeat_row=3, merge_title=True)
    return out.getvalue()


def dashboard_data(period: Period, scope: charts.Scope) -> dict[str, Any]:
    """The headline figures and every chart of the period in the scope, for the page."""
    specs = charts.charts(period.start, period.end, scope)
    return {
        "headline": charts.headline(period.start, period.end, scope),
        "charts": chart_views(specs),
        "json": [charts.spec_plain(spec) for spec in specs],
    }
