"""The assessment area's demo data (a step of oversight.demo, the last): a unit scheme and a person scheme, and each
ended quarter of the seed's campaign — the last ended quarter before today the last of them — scored from the demo's
records, one manual item scored with its reason, and confirmed by the assessment team; and the quarter running
today, when the campaign runs in it, scored so far (provisional: it is confirmed once it ends). Idempotent: a scheme or an
assessment already there is kept.

The deductions other areas declare (supervision findings, accountability measures, circulars received) join the
schemes when they are registered: the schemes take every registered deduction that can score their subjects.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns import demo as campaign_demo
from campaigns.models import Campaign
from core.dates import add_months
from core.indicators import registered
from core.plugins import DemoOptions
from org.models import Unit
from oversight.models.assessment import Assessment, ItemKind, Scheme
from oversight.selectors.assessment import collect, last_ended_period, period_start_of
from oversight.services import assessment as services

UNIT_SCHEME = "部门和社区季度考核（演示）"
PERSON_SCHEME = "党员干部季度考核（演示）"
MANUAL_REASON = "主动认领重点民生任务，现场督查作风扎实（演示）"
UNIT_ITEMS = [
    {"indicator": "matters.resolution", "weight": 25},
    {"indicator": "matters.on_time", "weight": 20},
    {"indicator": "matters.public_satisfaction", "weight": 15},
    {"indicator": "matters.callback_satisfaction", "weight": 10},
    {"indicator": "matters.response", "weight": 10},
    {"indicator": "fieldwork.duties_met", "weight": 10},
    {"indicator": "", "label": "工作作风和群众口碑", "weight": 10, "min_score": 0},
]
PERSON_ITEMS = [
    {"indicator": "fieldwork.duties_met", "weight": 40},
    {"indicator": "fieldwork.field_days", "weight": 15, "target": 12},
    {"indicator": "fieldwork.household_visits", "weight": 15, "target": 12},
    {"indicator": "matters.resolution", "weight": 20},
    {"indicator": "", "label": "履职尽责和作风表现", "weight": 10, "min_score": 0},
]


def _deductions(subject: str) -> list[dict[str, Any]]:
    return [
        {"indicator": i.key, "points": 2, "cap": 10}
        for i in registered().values()
        if i.kind == "deduction" and subject in i.subjects
    ]


def _scheme(name: str, subject: str, items: list[dict[str, Any]], actor: Any) -> Scheme:
    scheme = Scheme.objects.filter(name=name).first()
    if scheme is None:
        scheme = services.scheme_create(actor=actor, name=name, subject=subject, period_kind="quarter",
                                        items=[*items, *_deductions(subject)], appeal_days=7)  # fmt: skip
    return scheme


def demo_quarters(campaign: Campaign, today: dt.date | None = None) -> list[dt.date]:
    """Every quarter of the campaign that ended before today, the last one last; when none has (a campaign moved to
    run today), the last quarter that ended before today, which holds few of the campaign's records or none."""
    latest = last_ended_period("quarter", today)
    quarters = []
    start = period_start_of("quarter", campaign.starts_on)
    while start <= min(latest, campaign.ends_on):
        quarters.append(start)
        start = add_months(start, 3)
    return quarters or [latest]


def load(options: DemoOptions) -> str:
    if not options.full:
        return ""
    campaign = Campaign.objects.filter(ref=campaign_demo.REF).first()
    assessor = get_user_model().objects.filter(username="assessor").first()
    if campaign is None:
        return ""
    made = []
    for (name, subject, items), quarter in itertools.product(
        ((UNIT_SCHEME, "unit", UNIT_ITEMS), (PERSON_SCHEME, "person", PERSON_ITEMS)),
        demo_quarters(campaign, timezone.localdate()),
    ):
        scheme = _scheme(name, subject, items, assessor)
        if Assessment.objects.filter(scheme=scheme, period_start=quarter).exists():
            continue
        assessment = services.assessment_open(actor=assessor, scheme=scheme, period=quarter)
        assessment = services.assessment_computed(actor=assessor, assessment=assessment, figures=collect(assessment))
        manual = scheme.items.filter(kind=ItemKind.MANUAL).first()
        first = assessment.result["rows"][0]["id"] if assessment.result["rows"] else None
        if subject == "unit":
            infrastructure = Unit.objects.filter(name="基建办").first()
            first = infrastructure.pk if infrastructure is not None else first
        if manual is not None and first is not None:
            services.manual_score_set(actor=assessor, assessment=assessment, item=manual, subject_id=first,
                                      score=manual.weight - 1, reason=MANUAL_REASON)  # fmt: skip
        services.assessment_confirm(actor=assessor, assessment=assessment)
        made.append(f"{scheme.name} {assessment.period_label}")
    running = _running_quarter(campaign, assessor)
    lines = [f"Demo assessments: {'; '.join(made)} scored and confirmed."] if made else []
    if running:
        lines.append(f"Demo assessments: {'; '.join(running)} scored so far (provisional, the quarter runs).")
    return "\n".join(lines)


def _running_quarter(campaign: Campaign, assessor: Any) -> list[str]:
    """The quarter running today, scored as it stands, when the campaign runs in it (a demo moved to run today has
    its records there: the quarters before it hold few or none)."""
    today = timezone.localdate()
    if not campaign.starts_on <= today <= campaign.ends_on:
        return []
    quarter = period_start_of("quarter", today)
    scored = []
    for name, subject, items in ((UNIT_SCHEME, "unit", UNIT_ITEMS), (PERSON_SCHEME, "person", PERSON_ITEMS)):
        scheme = _scheme(name, subject, items, assessor)
        if Assessment.objects.filter(scheme=scheme, period_start=quarter).exists():
            continue
        assessment = services.assessment_open(actor=assessor, scheme=scheme, period=quarter)
        services.assessment_computed(actor=assessor, assessment=assessment, figures=collect(assessment))
        scored.append(f"{scheme.name} {assessment.period_label}")
    return scored
