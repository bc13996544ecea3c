"""The {targets} of the compounds app's routes for the authorisation matrix: the cadre's community's compound."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from compounds import services
from compounds.models import Checklist, CompoundProfile, ScoringMethod


def build() -> dict[str, str]:
    profile = CompoundProfile.objects.get(compound__name="长宇新城")
    meeting = services.meeting_create(
        actor=None,
        profile=profile,
        held_on=dt.date(2022, 6, 1),
        party_attendees="书记（演示）",
        decisions=["更换楼道灯。"],
    )
    checklist = Checklist.objects.create(name="matrix checklist")
    item = checklist.items.create(order=1, name="环境整洁", weight=Decimal(10), method=ScoringMethod.SCALE, top=5)
    score = services.assessment_record(
        actor=None, checklist=checklist, profile=profile, period="2022Q2", scores={item.pk: 3}
    )
    return {
        "compound": str(profile.pk),
        "checklist": str(checklist.pk),
        "linkage_meeting": str(meeting.pk),
        "decision": str(meeting.decisions.get().pk),
        "compound_score": str(score.pk),
    }
