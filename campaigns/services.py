"""All writes to campaigns, their phases and their duty rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import model_create, model_delete, model_update
from campaigns.models import Campaign, DutyRule, Phase
from core.types import Actor


def _check_phases(campaign: Campaign) -> None:
    """Phases must end in order, inside the campaign's dates."""
    previous = None
    for phase in campaign.phases.order_by("order"):
        if phase.ends_on < campaign.starts_on or phase.ends_on > campaign.ends_on:
            raise ValidationError(
                {
                    "ends_on": _("The deadline of phase “%(name)s” must fall within the campaign's dates.")
                    % {"name": phase.name}
                }
            )
        if previous is not None and phase.ends_on <= previous.ends_on:
            raise ValidationError(
                {"ends_on": _("Phase “%(name)s” must end after the phase before it.") % {"name": phase.name}}
            )
        previous = phase


def campaign_create(*, actor: Actor, **fields: Any) -> Campaign:
    campaign: Campaign = model_create(actor=actor, model=Campaign, action="campaigns.campaign.create", **fields)
    return campaign


def campaign_update(*, actor: Actor, campaign: Campaign, data: dict[str, Any]) -> list[str]:
    with transaction.atomic():
        changed = model_update(actor=actor, instance=campaign, action="campaigns.campaign.update", data=data)
        _check_phases(campaign)
    return changed


def campaign_reschedule(
    *, actor: Actor, campaign: Campaign, starts_on: dt.date, ends_on: dt.date, deadlines: dict[int, dt.date]
) -> None:
    """Move a campaign and its phase deadlines (by phase order) together, checking them once at the end."""
    with transaction.atomic():
        model_update(
            actor=actor,
            instance=campaign,
            action="campaigns.campaign.reschedule",
            data={"starts_on": starts_on, "ends_on": ends_on},
        )
        for phase in campaign.phases.all():
            if phase.order in deadlines:
                model_update(
                    actor=actor,
                    instance=phase,
                    action="campaigns.phase.reschedule",
                    data={"ends_on": deadlines[phase.order]},
                )
        _check_phases(campaign)


def phase_create(*, actor: Actor, campaign: Campaign, **fields: Any) -> Phase:
    with transaction.atomic():
        phase: Phase = model_create(
            actor=actor, model=Phase, action="campaigns.phase.create", campaign=campaign, **fields
        )
        _check_phases(campaign)
    return phase


def phase_update(*, actor: Actor, phase: Phase, data: dict[str, Any]) -> list[str]:
    with transaction.atomic():
        changed = model_update(actor=actor, instance=phase, action="campaigns.phase.update", data=data)
        _check_phases(phase.campaign)
    return changed


def phase_delete(*, actor: Actor, phase: Phase) -> None:
    model_delete(actor=actor, instance=phase, action="campaigns.phase.delete")


def duty_rule_create(*, actor: Actor, campaign: Campaign, **fields: Any) -> DutyRule:
    rule: DutyRule = model_create(
        actor=actor, model=DutyRule, action="campaigns.rule.create", campaign=campaign, **fields
    )
    return rule


def duty_rule_update(*, actor: Actor, rule: DutyRule, data: dict[str, Any]) -> list[str]:
    return model_update(actor=actor, instance=rule, action="campaigns.rule.update", data=data)


def duty_rule_delete(*, actor: Actor, rule: DutyRule) -> None:
    model_delete(actor=actor, instance=rule, action="campaigns.rule.delete")
