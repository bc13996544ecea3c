"""Writes of a compound's record, its linkage meetings, their decisions (into matters), owners' votes, talks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from compounds import votes
from compounds.models import CommitteeMember, CompoundProfile, Decision, LinkageMeeting, OwnersVote
from compounds.services.common import acting_user, audited_create, audited_update, not_future
from core.types import Actor
from matters.kinds import LIVELIHOOD
from matters.models import Channel, Matter
from matters.services import matter_create, matter_transition
from matters.workflow import Action
from org.models import Person, Unit, UnitKind

# --- profile --------------------------------------------------------------------------------------------------


def profile_create(*, actor: Actor, compound: Unit, **fields: Any) -> CompoundProfile:
    if compound.kind != UnitKind.COMPOUND:
        raise ValidationError({"compound": _("Choose a unit of kind compound.")})
    profile: CompoundProfile = audited_create(
        actor=actor, model=CompoundProfile, action="compounds.profile.create", compound=compound, **fields
    )
    return profile


def profile_update(*, actor: Actor, profile: CompoundProfile, data: Mapping[str, Any]) -> list[str]:
    return audited_update(actor=actor, instance=profile, action="compounds.profile.update", data=data)


def committee_member_add(*, actor: Actor, profile: CompoundProfile, **fields: Any) -> CommitteeMember:
    member: CommitteeMember = audited_create(
        actor=actor, model=CommitteeMember, action="compounds.committee.add", profile=profile, **fields
    )
    return member


# --- linkage meetings -----------------------------------------------------------------------------------------


def meeting_create(
    *, actor: Actor, profile: CompoundProfile, held_on: dt.date, decisions: Sequence[str] = (), **fields: Any
) -> LinkageMeeting:
    """A meeting, flagged by its page when a side is missing; a meeting dated in the future is refused."""
    not_future(held_on, "held_on")
    with transaction.atomic():
        meeting: LinkageMeeting = audited_create(
            actor=actor,
            model=LinkageMeeting,
            action="compounds.meeting.create",
            compound=profile,
            held_on=held_on,
            created_by=acting_user(actor),
            **fields,
        )
        for order, text in enumerate(t.strip() for t in decisions):
            if text:
                decision_add(actor=actor, meeting=meeting, text=text, order=order)
    return meeting


def decision_add(*, actor: Actor, meeting: LinkageMeeting, text: str, order: int = 0) -> Decision:
    decision: Decision = audited_create(
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
        audited_update(actor=actor, instance=decision, action="compounds.decision.matter", data={"matter": matter})
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
    not_future(held_on, "held_on")
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
    vote: OwnersVote = audited_create(
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


# --- policy talks (fieldwork's visit extension) ---------------------------------------------------------------


def policy_talk_save(visit: Any, data: dict[str, Any], actor: Actor) -> None:
    """Inside visit_create's transaction: the talk's place, speaker, topic and audience beside the visit."""
    from compounds.models import PolicyTalk

    audited_create(
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


def decision_link_matter(*, actor: Actor, decision: Decision, matter: Matter) -> None:
    """Link a decision to a matter already registered (the demo's seed matters, a matter raised before the meeting)."""
    if decision.matter_id is not None:
        raise ValidationError({"decision": _("This decision is already a matter.")})
    audited_update(actor=actor, instance=decision, action="compounds.decision.matter", data={"matter": matter})
