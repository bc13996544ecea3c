"""Reads of compounds: who sees the private parts, a compound's matters, the derived scores, the ranking, talks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from compounds.capabilities import ALL_COMPOUNDS, CompoundCap
from compounds.models import (
    Assessment,
    ChecklistItem,
    CompoundProfile,
    DerivedSource,
    LinkageMeeting,
    PolicyTalk,
    ScoringMethod,
)
from core.plugins import User
from core.roles import Role, user_can, user_roles
from matters.models import Matter
from matters.workflow import FINISHED

CENT = Decimal("0.01")


def _own_community(user: User, profile: CompoundProfile) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person is not None and person.unit_id in (profile.compound_id, profile.compound.parent_id)


def can_see_private(user: User, profile: CompoundProfile) -> bool:
    """Contacts, committee, attendees' names and votes: the teams, and the staff of the compound's community."""
    if not user_can(user, CompoundCap.PRIVATE):
        return False
    return bool(user_roles(user) & ALL_COMPOUNDS) or _own_community(user, profile)


def can_edit(user: User, profile: CompoundProfile) -> bool:
    if not user_can(user, CompoundCap.EDIT):
        return False
    return bool(user_roles(user) & ALL_COMPOUNDS) or _own_community(user, profile)


def compounds_listed() -> QuerySet[CompoundProfile]:
    return CompoundProfile.objects.select_related("compound", "compound__parent").annotate(
        meeting_count=Count("meetings", distinct=True)
    )


def compound_matters(profile: CompoundProfile) -> QuerySet[Matter]:
    """Its matters: decided at its meetings, its unit responsible, raised on visits to it, or naming it."""
    name = profile.compound.name
    scope = (
        Q(linkage_decision__meeting__compound=profile)
        | Q(units=profile.compound_id)
        | Q(visits__unit=profile.compound_id)
        | Q(location__contains=name)
        | Q(problem__contains=name)
    )
    ids = Matter.objects.filter(scope).values("pk")
    return Matter.objects.filter(pk__in=ids, merged_into__isnull=True).order_by("-reported_at")


def compound_points(profile: CompoundProfile, *, width: int = 320, height: int = 200) -> list[dict[str, Any]]:
    """Its matters' stored coordinates, scaled into a plain SVG box (no map tiles)."""
    rows = [
        (m.code, float(m.latitude), float(m.longitude))
        for m in compound_matters(profile).filter(latitude__isnull=False, longitude__isnull=False)
        if m.latitude is not None and m.longitude is not None
    ]
    if not rows:
        return []
    lats, lons = [r[1] for r in rows], [r[2] for r in rows]
    span_lat, span_lon = (max(lats) - min(lats)) or 1e-4, (max(lons) - min(lons)) or 1e-4
    pad = 12
    return [
        {
            "code": code,
            "x": round(pad + (lon - min(lons)) / span_lon * (width - 2 * pad), 1),
            "y": round(height - pad - (lat - min(lats)) / span_lat * (height - 2 * pad), 1),
        }
        for code, lat, lon in rows
    ]


# --- derived items --------------------------------------------------------------------------------------------


def _on_time(profile: CompoundProfile, starts: dt.date, ends: dt.date) -> Decimal:
    due = compound_matters(profile).filter(deadline_last_day__gte=starts, deadline_last_day__lte=ends)
    total = due.count()
    if total == 0:
        return Decimal(1)  # nothing was due, nothing was late
    on_time = due.filter(status__in=FINISHED, completed_on__lte=F("deadline_last_day")).count()
    return Decimal(on_time) / Decimal(total)


def _meetings(profile: CompoundProfile, starts: dt.date, ends: dt.date, top: int) -> Decimal:
    held = [m for m in profile.meetings.filter(held_on__gte=starts, held_on__lte=ends) if m.all_sides]
    return Decimal(min(len(held), top)) / Decimal(top)


def _ratings(profile: CompoundProfile, starts: dt.date, ends: dt.date) -> Decimal:
    """Residents' ratings (satisfied 1, basically 0.5, dissatisfied 0) of its matters finished in the period."""
    sums = (
        compound_matters(profile)
        .filter(completed_on__gte=starts, completed_on__lte=ends)
        .aggregate(s=Sum("rated_satisfied"), b=Sum("rated_basically"), d=Sum("rated_dissatisfied"))
    )
    s, b, d = (Decimal(sums[k] or 0) for k in ("s", "b", "d"))
    total = s + b + d
    return (s + b / 2) / total if total else Decimal(0)


def _property(profile: CompoundProfile, starts: dt.date, ends: dt.date) -> Decimal:
    """The residents' average rating (1–5) of the property company in the period, as 0..1; none: 0."""
    scores = list(
        profile.property_ratings.filter(rated_on__gte=starts, rated_on__lte=ends).values_list("score", flat=True)
    )
    if not scores:
        return Decimal(0)
    return (Decimal(sum(scores)) / len(scores) - 1) / 4


def derived_value(item: ChecklistItem, profile: CompoundProfile, starts: dt.date, ends: dt.date) -> Decimal:
    if item.source == DerivedSource.ON_TIME:
        value = _on_time(profile, starts, ends)
    elif item.source == DerivedSource.MEETINGS:
        value = _meetings(profile, starts, ends, item.top)
    elif item.source == DerivedSource.RATINGS:
        value = _ratings(profile, starts, ends)
    else:
        value = _property(profile, starts, ends)
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def item_top(item: ChecklistItem) -> int:
    """The highest value an item's score may take on its own scale."""
    return item.top if item.method == ScoringMethod.SCALE else 1


def item_points(item: ChecklistItem, value: Decimal) -> Decimal:
    return (item.weight * value / item_top(item)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- ranking --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    rank: int
    assessment: Assessment
    breakdown: list[tuple[str, Decimal, Decimal]]  # item, value, points


def ranking(*, period: str, checklist_id: int | None = None) -> list[Ranked]:
    """The compounds assessed for a period, best first (equal totals share a rank), each with its items."""
    qs = Assessment.objects.filter(period=period).select_related("compound__compound").prefetch_related("scores__item")
    if checklist_id is not None:
        qs = qs.filter(checklist_id=checklist_id)
    out: list[Ranked] = []
    previous: Decimal | None = None
    rank = 0
    for index, assessment in enumerate(qs.order_by("-total", "compound__compound__name"), start=1):
        if assessment.total != previous:
            rank, previous = index, assessment.total
        breakdown = [(s.item.name, s.value, s.points) for s in assessment.scores.all()]
        out.append(Ranked(rank, assessment, breakdown))
    return out


def periods() -> list[str]:
    return list(Assessment.objects.order_by("-period").values_list("period", flat=True).distinct())


# --- talks ----------------------------------------------------------------------------------------------------


def talk_figures() -> list[dict[str, Any]]:
    """Policy talks and their audience per community and month (the community: the visit's unit's or its own)."""
    rows: dict[tuple[str, dt.date], dict[str, Any]] = defaultdict(lambda: {"talks": 0, "audience": 0})
    qs = PolicyTalk.objects.annotate(month=TruncMonth("visit__date")).values(
        "month",
        "compound__compound__parent__name",
        "visit__unit__name",
        "visit__unit__kind",
        "visit__unit__parent__name",
        "audience",
    )
    for talk in qs:
        community = (
            talk["compound__compound__parent__name"]
            or (
                talk["visit__unit__name"]
                if talk["visit__unit__kind"] == "community"
                else talk["visit__unit__parent__name"]
            )
            or "—"
        )
        row = rows[(community, talk["month"])]
        row["talks"] += 1
        row["audience"] += talk["audience"]
    return [
        {"community": c, "month": m, **v} for (c, m), v in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def meetings_of(profile: CompoundProfile) -> QuerySet[LinkageMeeting]:
    return profile.meetings.prefetch_related("decisions__matter", "decisions__vote")


def compounds_editable_by(user: User) -> QuerySet[CompoundProfile]:
    if not user_can(user, CompoundCap.EDIT):
        return CompoundProfile.objects.none()
    if user_roles(user) & ALL_COMPOUNDS:
        return CompoundProfile.objects.all()
    person = getattr(user, "person", None)
    if person is None:
        return CompoundProfile.objects.none()
    return CompoundProfile.objects.filter(Q(compound_id=person.unit_id) | Q(compound__parent_id=person.unit_id))


def compound_work(user: User) -> list[Any]:
    """The workbench: recent meetings of one's compounds that missed a side; decisions still waiting to be matters."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from compounds.models import Decision
    from core.plugins import WorkItem

    profiles = compounds_editable_by(user)
    since = timezone.localdate() - dt.timedelta(days=90)
    missing = Q(party_attendees="") | Q(committee_attendees="") | Q(property_attendees="")
    flagged = LinkageMeeting.objects.filter(compound__in=profiles, held_on__gte=since).filter(missing).count()
    items = []
    url = reverse("compounds:list")
    if flagged:
        items.append(WorkItem(_("Linkage meetings without all three sides (90 days)"), flagged, url))
    if user_roles(user) & {Role.COORDINATOR}:
        waiting = Decision.objects.filter(
            matter__isnull=True, meeting__held_on__gte=since, meeting__compound__in=profiles
        ).count()
        if waiting:
            items.append(WorkItem(_("Linkage decisions not yet made matters"), waiting, url))
    return items


def review_section(start: dt.date, end: dt.date, scope: Any = None) -> dict[str, Any]:
    """The compounds line's part of the monthly review (`oversight.sections`): linkage meetings and their decisions
    in the period, by compound; no attendee."""
    from django.utils.translation import gettext as _

    meetings = LinkageMeeting.objects.filter(held_on__gte=start, held_on__lte=end)
    by_compound = (
        meetings.values("compound__compound__name")
        .annotate(n=Count("pk", distinct=True), decision_count=Count("decisions"))
        .order_by("compound__compound__name")
    )
    return {
        "figures": [
            {"label": _("Compounds in the creation campaign"), "value": CompoundProfile.objects.count(), "unit": ""},
            {"label": _("Linkage meetings held"), "value": meetings.count(), "unit": ""},
        ],
        "tables": [
            {
                "title": _("Linkage meetings by compound"),
                "columns": [_("Compound"), _("Meetings"), _("Decisions")],
                "rows": [[row["compound__compound__name"], row["n"], row["decision_count"]] for row in by_compound],
            }
        ],
        "notes": [],
    }
