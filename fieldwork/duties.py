"""Weekly duties: ISO weeks, the rules that apply to a person, and how far each person got in a week.

The rules are data (campaigns.DutyRule); a person's duty category says which apply. Every figure is
counted over the ISO week, Monday to Sunday, in local time (settings.TIME_ZONE).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from campaigns.models import Campaign, DutyMetric, DutyPeriod, DutyRole, DutyRule
from fieldwork.models import FIELD_KINDS, Visit, VisitKind
from matters.models import Matter
from matters.workflow import FINISHED
from org.models import Person, PersonCategory

WEEK_RE = re.compile(r"^\s*([0-9]{4})-?W([0-9]{1,2})\s*$", re.IGNORECASE)
MIN_YEAR, MAX_YEAR = 2000, 2100

# Which rules apply to a person of each duty category; "other" has none.
CATEGORY_ROLES: dict[str, str] = {PersonCategory.LEADER: DutyRole.LEADER, PersonCategory.CADRE: DutyRole.CADRE}
# Metrics counted per person, in the order they are shown. Review meetings are the committee's, not a person's.
PERSON_METRICS: tuple[str, ...] = (
    DutyMetric.FIELD_DAYS,
    DutyMetric.MATTERS_SOLVED,
    DutyMetric.ENTERPRISES_SERVED,
    DutyMetric.GRASSROOTS_HOURS,
    DutyMetric.HOUSEHOLD_VISITS,
)

Week = tuple[int, int]


# --- ISO weeks -----------------------------------------------------------------------------------------


def parse_week(text: str) -> Week:
    """'2026-W48' → (2026, 48); ValueError with a translated message if malformed or the year has no such week."""
    match = WEEK_RE.match(text or "")
    if match is None:
        raise ValueError(_("“%(text)s” is not a week; write it as 2022-W26.") % {"text": (text or "")[:20]})
    year, week = int(match.group(1)), int(match.group(2))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            _("The year of a week must lie between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if not 1 <= week <= weeks_in_year(year):
        raise ValueError(
            _("%(year)d has no week %(week)d: its weeks run from W01 to W%(last)02d.")
            % {"year": year, "week": week, "last": weeks_in_year(year)}
        )
    return year, week


def weeks_in_year(year: int) -> int:
    """52, or 53 in a long ISO year; 28 December always lies in the last week."""
    return dt.date(year, 12, 28).isocalendar().week


def week_label(year: int, week: int) -> str:
    """(2026, 1) → '2026-W01'."""
    return f"{year:04d}-W{week:02d}"


def week_title(year: int, week: int) -> str:
    """The week as people write it: '2026年第49周（12.1—12.7）', 'Week 49, 2026 (1–7 Dec)'. The ISO code
    (week_label) is for what machines read: URLs, the API, CSV."""
    monday, sunday = week_bounds(year, week)
    if monday.month == sunday.month:
        start = date_format(monday, pgettext("week span: first day, same month as the last", "j"))
        dash = pgettext("week span: dash, same month", "–")
    else:
        start = date_format(monday, pgettext("week span: first day, other month than the last", "j M"))
        dash = pgettext("week span: dash, other months", " – ")
    end = date_format(sunday, pgettext("week span: last day", "j M"))
    return _("Week %(week)d, %(year)d (%(span)s)") % {"week": week, "year": year, "span": f"{start}{dash}{end}"}


def week_ended(year: int, week: int, today: dt.date | None = None) -> bool:
    """Whether the week is over (its Sunday has passed): only then can a duty be short."""
    return week_bounds(year, week)[1] < (today or timezone.localdate())


def week_of(day: dt.date) -> str:
    """The ISO week of a date: 2021-01-03 → '2020-W53'."""
    iso = day.isocalendar()
    return week_label(iso.year, iso.week)


def week_tuple(day: dt.date) -> Week:
    iso = day.isocalendar()
    return iso.year, iso.week


def week_bounds(year: int, week: int) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week."""
    monday = dt.date.fromisocalendar(year, week, 1)
    return monday, monday + dt.timedelta(days=6)


def week_shift(year: int, week: int, weeks: int) -> Week:
    """The week `weeks` weeks later (earlier if negative)."""
    return week_tuple(dt.date.fromisocalendar(year, week, 1) + dt.timedelta(weeks=weeks))


def weeks_between(first: Week, last: Week) -> list[Week]:
    """Every week from `first` to `last`, both included; empty if `last` comes first."""
    monday, end = dt.date.fromisocalendar(*first, 1), dt.date.fromisocalendar(*last, 1)
    out = []
    while monday <= end:
        out.append(week_tuple(monday))
        monday += dt.timedelta(weeks=1)
    return out


def current_week() -> Week:
    return week_tuple(timezone.localdate())


# --- Rules ---------------------------------------------------------------------------------------------


class DutyState:
    """A duty's (or a week's) state: met, still in progress (the week has not ended), or short."""

    MET = "met"
    IN_PROGRESS = "in_progress"
    SHORT = "short"


@dataclass(frozen=True)
class DutyRow:
    metric: str
    label: str
    value: Decimal
    threshold: Decimal
    met: bool
    open: bool = False  # the week has not ended: not met yet is not a failure

    @property
    def state(self) -> str:
        if self.met:
            return DutyState.MET
        return DutyState.IN_PROGRESS if self.open else DutyState.SHORT

    @property
    def missing(self) -> Decimal:
        return max(self.threshold - self.value, Decimal(0))

    @property
    def missing_text(self) -> str:
        """What is still missing, in plain words ('1 more field day', '4.5 more hours'); '' if met."""
        return "" if self.met else missing_text(self.metric, self.missing)

    @property
    def value_text(self) -> str:
        return number(self.value)

    @property
    def threshold_text(self) -> str:
        return number(self.threshold)

    @property
    def short_text(self) -> str:
        """'19.5/20 h': value over threshold with the metric's abbreviation."""
        return f"{number(self.value)}/{number(self.threshold)} {metric_abbr(self.metric)}"


def number(value: Decimal) -> str:
    """20.0 → '20', 19.50 → '19.5' (never '2E+1')."""
    return f"{value.normalize():f}"


def metric_abbr(metric: str) -> str:
    abbr: dict[str, str] = {
        DutyMetric.FIELD_DAYS: pgettext("duty abbreviation: field days", "d"),
        DutyMetric.MATTERS_SOLVED: pgettext("duty abbreviation: matters solved", "m"),
        DutyMetric.ENTERPRISES_SERVED: pgettext("duty abbreviation: enterprises served", "e"),
        DutyMetric.GRASSROOTS_HOURS: pgettext("duty abbreviation: grassroots hours", "h"),
        DutyMetric.HOUSEHOLD_VISITS: pgettext("duty abbreviation: household visits", "hh"),
    }
    return abbr.get(metric, metric)


def missing_text(metric: str, amount: Decimal) -> str:
    """'1 more field day', '2 more enterprises', '4.5 more hours'."""
    n = number(amount)
    count = 1 if amount == 1 else 2  # only picks the plural form; the figure shown is `n`
    if metric == DutyMetric.FIELD_DAYS:
        return ngettext("%(n)s more field day", "%(n)s more field days", count) % {"n": n}
    if metric == DutyMetric.MATTERS_SOLVED:
        return ngettext("%(n)s more matter solved as lead", "%(n)s more matters solved as lead", count) % {"n": n}
    if metric == DutyMetric.ENTERPRISES_SERVED:
        return ngettext("%(n)s more enterprise served", "%(n)s more enterprises served", count) % {"n": n}
    if metric == DutyMetric.GRASSROOTS_HOURS:
        return ngettext("%(n)s more hour of grassroots work", "%(n)s more hours of grassroots work", count) % {"n": n}
    if metric == DutyMetric.HOUSEHOLD_VISITS:
        return ngettext("%(n)s more household visit", "%(n)s more household visits", count) % {"n": n}
    return _("%(n)s more") % {"n": n}


def _metric_order(rule: DutyRule) -> int:
    return PERSON_METRICS.index(rule.metric)


def _weekly_rules(campaign_ids: Iterable[int]) -> dict[tuple[int, str], list[DutyRule]]:
    """Weekly per-person rules of the campaigns, by (campaign id, role), in display order: one query."""
    out: dict[tuple[int, str], list[DutyRule]] = defaultdict(list)
    rules = DutyRule.objects.filter(
        campaign_id__in=list(campaign_ids),
        period=DutyPeriod.WEEK,
        role__in=list(CATEGORY_ROLES.values()),
        metric__in=PERSON_METRICS,
    )
    for rule in sorted(rules, key=_metric_order):
        out[(rule.campaign_id, rule.role)].append(rule)
    return out


def duty_rules_for(person: Person, campaign: Campaign | None = None) -> list[DutyRule]:
    """The weekly rules for the person's duty category in the campaign (default: the one running today)."""
    role = CATEGORY_ROLES.get(person.category)
    if role is None:
        return []
    if campaign is None:
        from campaigns.selectors import campaign_current

        campaign = campaign_current()
    if campaign is None:
        return []
    return _weekly_rules([campaign.pk]).get((campaign.pk, role), [])


def _campaign_for_week(campaigns: Sequence[Campaign], week: Week) -> Campaign | None:
    """The campaign in force on the week's Sunday, by the rule of campaigns.selectors.campaign_current."""
    on = week_bounds(*week)[1]
    running = [c for c in campaigns if c.starts_on <= on <= c.ends_on]
    if running:
        return max(running, key=lambda c: c.starts_on)
    upcoming = [c for c in campaigns if c.starts_on > on]
    if upcoming:
        return min(upcoming, key=lambda c: c.starts_on)
    ended = [c for c in campaigns if c.ends_on < on]
    return max(ended, key=lambda c: c.ends_on) if ended else None


def campaign_for_week(year: int, week: int) -> Campaign | None:
    return _campaign_for_week(list(Campaign.objects.all()), (year, week))


# --- Evaluation ----------------------------------------------------------------------------------------


@dataclass
class _Tally:
    field_dates: set[dt.date]
    enterprises: set[Any]
    hours: Decimal
    households: int
    matters: int

    @classmethod
    def empty(cls) -> _Tally:
        return cls(set(), set(), Decimal(0), 0, 0)

    def value(self, metric: str) -> Decimal:
        values: dict[str, Decimal] = {
            DutyMetric.FIELD_DAYS: Decimal(len(self.field_dates)),
            DutyMetric.MATTERS_SOLVED: Decimal(self.matters),
            DutyMetric.ENTERPRISES_SERVED: Decimal(len(self.enterprises)),
            DutyMetric.GRASSROOTS_HOURS: self.hours,
            DutyMetric.HOUSEHOLD_VISITS: Decimal(self.households),
        }
        return values.get(metric, Decimal(0))


def _tallies(person_ids: list[int], weeks: set[Week]) -> dict[tuple[int, Week], _Tally]:
    """Count visits and solved matters per person and week: two queries."""
    tallies: dict[tuple[int, Week], _Tally] = defaultdict(_Tally.empty)
    if not person_ids or not weeks:
        return tallies
    first = min(week_bounds(*w)[0] for w in weeks)
    last = max(week_bounds(*w)[1] for w in weeks)
    visits = Visit.objects.filter(person_id__in=person_ids, date__gte=first, date__lte=last).values_list(
        "pk", "person_id", "date", "kind", "hours", "unit_id", "contact_point__unit_id"
    )
    for pk, person_id, day, kind, hours, unit_id, point_unit_id in visits:
        week = week_tuple(day)
        if week not in weeks:
            continue
        tally = tallies[(person_id, week)]
        tally.hours += hours or Decimal(0)
        if kind in FIELD_KINDS:
            tally.field_dates.add(day)
        if kind == VisitKind.HOUSEHOLD:
            tally.households += 1
        if kind == VisitKind.ENTERPRISE:
            # Distinct enterprises: by unit (or the contact point's unit); a visit naming neither counts alone.
            enterprise = unit_id or point_unit_id
            tally.enterprises.add(("unit", enterprise) if enterprise else ("visit", pk))
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    solved = Matter.leads.through.objects.filter(
        person_id__in=person_ids,
        matter__status__in=FINISHED,
        matter__completed_at__gte=start,
        matter__completed_at__lt=end,
    ).values_list("person_id", "matter_id", "matter__completed_at")
    for person_id, _matter_id, completed_at in solved:
        week = week_tuple(timezone.localdate(completed_at))
        if week in weeks:
            tallies[(person_id, week)].matters += 1
    return tallies


def duty_grid(
    people: Sequence[Person], weeks: Sequence[Week], *, campaign: Campaign | None = None
) -> dict[tuple[int, Week], list[DutyRow]]:
    """Rows for every person and week, keyed by (person.pk, (year, week)); a constant number of queries.

    Without a campaign, each week takes the rules of the campaign in force that week.
    """
    weeks = list(dict.fromkeys(weeks))
    if campaign is not None:
        by_week: dict[Week, Campaign | None] = dict.fromkeys(weeks, campaign)
    else:
        campaigns = list(Campaign.objects.all())
        by_week = {w: _campaign_for_week(campaigns, w) for w in weeks}
    rules = _weekly_rules({c.pk for c in by_week.values() if c is not None})
    today = timezone.localdate()
    open_weeks = {w for w in weeks if not week_ended(*w, today)}
    counted = [p for p in people if p.category in CATEGORY_ROLES]
    tallies = _tallies([p.pk for p in counted], set(weeks)) if rules else {}
    out: dict[tuple[int, Week], list[DutyRow]] = {}
    for person in people:
        role = CATEGORY_ROLES.get(person.category)
        for week in weeks:
            chosen = by_week[week]
            applicable = rules.get((chosen.pk, role), []) if chosen is not None and role is not None else []
            tally = tallies.get((person.pk, week)) or _Tally.empty()
            rows = []
            for rule in applicable:
                value = tally.value(rule.metric)
                rows.append(
                    DutyRow(
                        metric=rule.metric,
                        label=str(DutyMetric(rule.metric).label),
                        value=value,
                        threshold=rule.threshold,
                        met=value >= rule.threshold,
                        open=week in open_weeks,
                    )
                )
            out[(person.pk, week)] = rows
    return out


def duty_week(person: Person, year: int, week: int, *, campaign: Campaign | None = None) -> list[DutyRow]:
    """One row per weekly rule that applies to the person: value, threshold and whether it is met."""
    return duty_grid([person], [(year, week)], campaign=campaign)[(person.pk, (year, week))]


def rows_met(rows: Sequence[DutyRow]) -> bool:
    """All rules met; a person without rules owes nothing."""
    return all(row.met for row in rows)


def rows_state(rows: Sequence[DutyRow]) -> str:
    """The week's state over its rows: met when all are, in progress while the week runs, else short."""
    if rows_met(rows):
        return DutyState.MET
    return DutyState.IN_PROGRESS if any(row.open for row in rows) else DutyState.SHORT


def state_word(state: str) -> str:
    """How a state reads in a cell or a file: 'met', 'in progress', 'short'."""
    words = {DutyState.MET: _("met"), DutyState.IN_PROGRESS: _("in progress"), DutyState.SHORT: _("short")}
    return words[state]


def rows_short_text(rows: Sequence[DutyRow]) -> str:
    """'1/1 d · 0/1 m · 1/1 e'."""
    return " · ".join(row.short_text for row in rows)
