"""All writes of the compounds app, audited; the private fields never reach the audit log's values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from compounds import selectors, votes
from compounds.models import (
    Assessment,
    Checklist,
    CommitteeMember,
    CompoundProfile,
    Decision,
    ItemScore,
    LinkageMeeting,
    OwnersVote,
    PropertyRating,
    ScoringMethod,
    TitleAward,
)
from compounds.models.meetings import SIDES
from compounds.models.profile import PRIVATE_FIELDS
from core.types import Actor
from matters.kinds import LIVELIHOOD
from matters.models import Channel, Matter
from matters.services import matter_create, matter_transition
from matters.workflow import Action
from org.models import Person, Unit, UnitKind

PRIVATE: dict[type[models.Model], tuple[str, ...]] = {
    CompoundProfile: PRIVATE_FIELDS,
    CommitteeMember: ("name", "phone"),
    LinkageMeeting: tuple(field for field, _label in SIDES),
}


def _public(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audit's values of a row: its private fields say only whether they are filled."""
    data = snapshot(instance, fields)
    for name in PRIVATE.get(type(instance), ()):
        if name in data:
            data[name] = "(private)" if data[name] else ""
    return data


def _create(*, actor: Actor, model: type[models.Model], action: str, **fields: Any) -> Any:
    with transaction.atomic():
        instance = model(**fields)
        instance.full_clean()
        instance.save()
        audit_record(actor=actor, action=action, target=instance, after=_public(instance))
    return instance


def _update(*, actor: Actor, instance: models.Model, action: str, data: Mapping[str, Any]) -> list[str]:
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        before = _public(instance, changed)
        for name in changed:
            setattr(instance, name, data[name])
        instance.full_clean()
        instance.save()
        audit_record(actor=actor, action=action, target=instance, before=before, after=_public(instance, changed))
    return changed


def _user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


# --- profile --------------------------------------------------------------------------------------------------


def profile_create(*, actor: Actor, compound: Unit, **fields: Any) -> CompoundProfile:
    if compound.kind != UnitKind.COMPOUND:
        raise ValidationError({"compound": _("Choose a unit of kind compound.")})
    profile: CompoundProfile = _create(
        actor=actor, model=CompoundProfile, action="compounds.profile.create", compound=compound, **fields
    )
    return profile


def profile_update(*, actor: Actor, profile: CompoundProfile, data: Mapping[str, Any]) -> list[str]:
    return _update(actor=actor, instance=profile, action="compounds.profile.update", data=data)


def committee_member_add(*, actor: Actor, profile: CompoundProfile, **fields: Any) -> CommitteeMember:
    member: CommitteeMember = _create(
        actor=actor, model=CommitteeMember, action="compounds.committee.add", profile=profile, **fields
    )
    return member


# --- linkage meetings -----------------------------------------------------------------------------------------


def meeting_create(
    *, actor: Actor, profile: CompoundProfile, held_on: dt.date, decisions: Sequence[str] = (), **fields: Any
) -> LinkageMeeting:
    """A meeting, flagged by its page when a side is missing; a meeting dated in the future is refused."""
    _not_future(held_on, "held_on")
    with transaction.atomic():
        meeting: LinkageMeeting = _create(
            actor=actor,
            model=LinkageMeeting,
            action="compounds.meeting.create",
            compound=profile,
            held_on=held_on,
            created_by=_user(actor),
            **fields,
        )
        for order, text in enumerate(t.strip() for t in decisions):
            if text:
                decision_add(actor=actor, meeting=meeting, text=text, order=order)
    return meeting


def decision_add(*, actor: Actor, meeting: LinkageMeeting, text: str, order: int = 0) -> Decision:
    decision: Decision = _create(
        actor=actor, model=Decision, action="compounds.decision.add", meeting=meeting, text=text, order=order
    )
    return decision


def decision_to_matter(
    *,
    actor: Actor,
    decision: Decision,
    units: Sequence[Unit],
    leads: Sequence[Person],
    deadline: dt.date,
    task: str = "",
) -> Matter:
    """The decision becomes a matter (kind livelihood, channel meeting), accepted and assigned, in one step."""
    if decision.matter_id is not None:
        raise ValidationError({"decision": _("This decision is already a matter.")})
    if not units:
        raise ValidationError({"units": _("Choose at least one responsible unit.")})
    compound = decision.meeting.compound.compound
    with transaction.atomic():
        matter, _created = matter_create(
            actor=actor,
            problem=decision.text,
            kind=LIVELIHOOD,
            channel=Channel.MEETING,
            location=compound.name,
            remarks=_("Decided at the linkage meeting of %(compound)s on %(date)s.")
            % {"compound": compound.name, "date": decision.meeting.held_on.isoformat()},
        )
        matter_transition(matter=matter, action=Action.ACCEPT, actor=actor)
        matter_transition(
            matter=matter,
            action=Action.ASSIGN,
            actor=actor,
            task=task or decision.text,
            deadline=deadline,
            units=list(units),
            leads=list(leads),
        )
        _update(actor=actor, instance=decision, action="compounds.decision.matter", data={"matter": matter})
    return matter


# --- owners' votes --------------------------------------------------------------------------------------------


def vote_record(
    *,
    actor: Actor,
    decision: Decision,
    subject: str,
    held_on: dt.date,
    voting_area: Decimal,
    voting_owners: int,
    agreeing_area: Decimal,
    agreeing_owners: int,
    passed: bool,
) -> OwnersVote:
    """The owners' vote, its bases from the compound's record; a result the figures do not bear is refused."""
    _not_future(held_on, "held_on")
    profile = decision.meeting.compound
    if profile.exclusive_area <= 0 or profile.owners == 0:
        raise ValidationError(
            {"subject": _("Record the compound's exclusive floor area and owners' count before a vote.")}
        )
    if voting_area > profile.exclusive_area or voting_owners > profile.owners:
        raise ValidationError({"voting_area": _("More took part than the compound has.")})
    if agreeing_area > voting_area or agreeing_owners > voting_owners:
        raise ValidationError({"agreeing_area": _("More agreed than took part.")})
    result = votes.outcome(
        subject=subject,
        total_area=profile.exclusive_area,
        total_owners=profile.owners,
        voting_area=voting_area,
        voting_owners=voting_owners,
        agreeing_area=agreeing_area,
        agreeing_owners=agreeing_owners,
    )
    if passed and not result.quorum:
        raise ValidationError(
            {"passed": _("Fewer than two-thirds of the area or of the owners took part: the vote cannot pass.")}
        )
    if passed and not result.agreed:
        raise ValidationError(
            {"passed": _("Too few of the participating area or owners agreed: the vote did not pass.")}
        )
    if not passed and result.passed:
        raise ValidationError({"passed": _("By these figures the vote passed.")})
    vote: OwnersVote = _create(
        actor=actor,
        model=OwnersVote,
        action="compounds.vote.record",
        decision=decision,
        subject=subject,
        held_on=held_on,
        total_area=profile.exclusive_area,
        total_owners=profile.owners,
        voting_area=voting_area,
        voting_owners=voting_owners,
        agreeing_area=agreeing_area,
        agreeing_owners=agreeing_owners,
        passed=passed,
    )
    return vote


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
        assessment: Assessment = _create(
            actor=actor,
            model=Assessment,
            action="compounds.assessment.record",
            checklist=checklist,
            compound=profile,
            period=period,
            period_starts=starts,
            period_ends=ends,
            scored_on=today,
            scored_by=_user(actor),
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
    _not_future(rated_on, "rated_on")
    if not profile.has_property_company:
        raise ValidationError({"score": _("This compound has no property company to rate.")})
    rating: PropertyRating = _create(
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
    _not_future(awarded_on, "awarded_on")
    if not profile.assessments.filter(checklist=checklist).exists():
        raise ValidationError({"title": _("A title is awarded only to a compound assessed against this checklist.")})
    if TitleAward.objects.filter(compound=profile, checklist=checklist, title=title).exists():
        raise ValidationError({"title": _("This compound already holds this title.")})
    award: TitleAward = _create(
        actor=actor,
        model=TitleAward,
        action="compounds.title.award",
        compound=profile,
        checklist=checklist,
        title=title,
        awarded_on=awarded_on,
        awarded_by=_user(actor),
    )
    return award


# --- policy talks (fieldwork's visit extension) ---------------------------------------------------------------


def policy_talk_save(visit: Any, data: dict[str, Any], actor: Actor) -> None:
    """Inside visit_create's transaction: the talk's place, speaker, topic and audience beside the visit."""
    from compounds.models import PolicyTalk

    _create(
        actor=actor,
        model=PolicyTalk,
        action="compounds.talk.create",
        visit=visit,
        place=data["place"],
        compound=data.get("compound"),
        place_detail=data.get("place_detail") or "",
        speaker=data["speaker"],
        topic=data["topic"],
        audience=data["audience"],
    )


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
    checklist: Checklist = _create(actor=actor, model=Checklist, action="compounds.checklist.create", **fields)
    return checklist


def checklist_item_add(*, actor: Actor, checklist: Checklist, **fields: Any) -> Any:
    from compounds.models import ChecklistItem

    if checklist.assessments.exists():
        raise ValidationError({"name": _("This checklist has been used for assessments: its items stay as they are.")})
    if fields.get("method") == ScoringMethod.DERIVED and not fields.get("source"):
        raise ValidationError({"source": _("Say what a derived item is computed from.")})
    if fields.get("method") != ScoringMethod.DERIVED:
        fields["source"] = ""
    return _create(actor=actor, model=ChecklistItem, action="compounds.checklist.item", checklist=checklist, **fields)
