"""Writes of civilized compound creation: checklists, assessments, the residents' ratings, titles."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compounds import selectors
from compounds.models import (
    Assessment,
    Checklist,
    CompoundProfile,
    ItemScore,
    PropertyRating,
    ScoringMethod,
    TitleAward,
)
from compounds.services.common import acting_user, audited_create, not_future
from core.types import Actor

# --- civilized compound scoring -------------------------------------------------------------------------------

PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


def period_dates(period: str) -> tuple[dt.date, dt.date]:
    match = PERIOD.match(period or "")
    if not match:
        raise ValidationError({"period": _("Give the period as a quarter, e.g. 2022Q2.")})
    year, quarter = int(match[1]), int(match[2])
    starts = dt.date(year, 3 * quarter - 2, 1)
    ends = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return starts, ends - dt.timedelta(days=1)


def _value(raw: Any, item: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({f"item_{item.pk}": _("“%(item)s”: give a number.") % {"item": item.name}}) from None
    top = selectors.item_top(item)
    allowed = value.is_finite() and 0 <= value <= top and value == value.to_integral_value()
    if not allowed:
        raise ValidationError(
            {
                f"item_{item.pk}": _("“%(item)s”: the score must be a whole number from 0 to %(top)s.")
                % {"item": item.name, "top": top}
            }
        )
    return value


def assessment_record(
    *,
    actor: Actor,
    checklist: Checklist,
    profile: CompoundProfile,
    period: str,
    scores: Mapping[int, Any],
    evidence: Mapping[int, Any] | None = None,
) -> Assessment:
    """Score a compound for a quarter: the manual items as given (in range), the derived ones from the records."""
    starts, ends = period_dates(period)
    today = timezone.localdate()
    if starts > today:
        raise ValidationError({"period": _("This period has not begun.")})
    items = list(checklist.items.all())
    if not items:
        raise ValidationError({"checklist": _("This checklist has no items.")})
    values: dict[int, Decimal] = {}
    for item in items:
        if item.method == ScoringMethod.DERIVED:
            values[item.pk] = selectors.derived_value(item, profile, starts, ends)
        elif item.pk not in scores or scores[item.pk] in (None, ""):
            raise ValidationError({f"item_{item.pk}": _("“%(item)s”: give a score.") % {"item": item.name}})
        else:
            values[item.pk] = _value(scores[item.pk], item)
    points = {item.pk: selectors.item_points(item, values[item.pk]) for item in items}
    with transaction.atomic():
        assessment: Assessment = audited_create(
            actor=actor,
            model=Assessment,
            action="compounds.assessment.record",
            checklist=checklist,
            compound=profile,
            period=period,
            period_starts=starts,
            period_ends=ends,
            scored_on=today,
            scored_by=acting_user(actor),
            total=sum(points.values(), Decimal(0)),
        )
        for item in items:
            ItemScore.objects.create(
                assessment=assessment,
                item=item,
                value=values[item.pk],
                points=points[item.pk],
                evidence=(evidence or {}).get(item.pk) or "",
            )
    return assessment


def property_rating_add(*, actor: Actor, profile: CompoundProfile, rated_on: dt.date, score: int) -> PropertyRating:
    not_future(rated_on, "rated_on")
    if not profile.has_property_company:
        raise ValidationError({"score": _("This compound has no property company to rate.")})
    rating: PropertyRating = audited_create(
        actor=actor,
        model=PropertyRating,
        action="compounds.property.rate",
        compound=profile,
        rated_on=rated_on,
        score=score,
    )
    return rating


def title_award(
    *, actor: Actor, profile: CompoundProfile, checklist: Checklist, title: str, awarded_on: dt.date
) -> TitleAward:
    not_future(awarded_on, "awarded_on")
    if not profile.assessments.filter(checklist=checklist).exists():
        raise ValidationError({"title": _("A title is awarded only to a compound assessed against this checklist.")})
    if TitleAward.objects.filter(compound=profile, checklist=checklist, title=title).exists():
        raise ValidationError({"title": _("This compound already holds this title.")})
    award: TitleAward = audited_create(
        actor=actor,
        model=TitleAward,
        action="compounds.title.award",
        compound=profile,
        checklist=checklist,
        title=title,
        awarded_on=awarded_on,
        awarded_by=acting_user(actor),
    )
    return award


def ratings_record(
    *, actor: Actor, profile: CompoundProfile, rated_on: dt.date, counts: Mapping[int, int]
) -> list[PropertyRating]:
    """A survey's ratings of the property company: so many residents gave each score (anonymous)."""
    if not any(counts.values()):
        raise ValidationError({"score_5": _("Give at least one resident's rating.")})
    with transaction.atomic():
        return [
            property_rating_add(actor=actor, profile=profile, rated_on=rated_on, score=score)
            for score, count in sorted(counts.items())
            for _n in range(count)
        ]


def checklist_create(*, actor: Actor, **fields: Any) -> Checklist:
    checklist: Checklist = audited_create(actor=actor, model=Checklist, action="compounds.checklist.create", **fields)
    return checklist


def checklist_item_add(*, actor: Actor, checklist: Checklist, **fields: Any) -> Any:
    from compounds.models import ChecklistItem

    if checklist.assessments.exists():
        raise ValidationError({"name": _("This checklist has been used for assessments: its items stay as they are.")})
    if fields.get("method") == ScoringMethod.DERIVED and not fields.get("source"):
        raise ValidationError({"source": _("Say what a derived item is computed from.")})
    if fields.get("method") != ScoringMethod.DERIVED:
        fields["source"] = ""
    return audited_create(
        actor=actor, model=ChecklistItem, action="compounds.checklist.item", checklist=checklist, **fields
    )
