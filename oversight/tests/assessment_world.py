"""Shared pieces of the assessment tests: the first quarter of 2031 (the demo's own records are years away) with a
few matters of the 基建办 led by 杨立新, household visits by the demo cadre, a unit scheme and a person scheme, and
a deduction indicator of the tests' own (the clues' findings come from another area)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.indicators import Figure, Indicator, RecordRef, registered
from fieldwork.models import Visit
from matters.models import Matter
from matters.services import matter_rating_counted
from matters.tests.factories import matter_in
from matters.workflow import Status
from org.models import Person, Unit
from oversight.models.assessment import Assessment, Scheme
from oversight.selectors.assessment import collect
from oversight.services import assessment as services

TZ = ZoneInfo("Asia/Shanghai")
Q1 = dt.date(2031, 1, 1)
IN_Q1 = dt.datetime(2031, 2, 10, 10, 0, tzinfo=TZ)
AFTER_Q1 = "2031-04-03"  # the quarter has ended; its appeal days run
FINDINGS = "tests.findings"


def at(day: str) -> Any:
    """Travel to 10:00 in Beijing on `day` (ISO date), frozen."""
    return time_machine.travel(dt.datetime.fromisoformat(day + "T10:00:00+08:00"), tick=False)


# --- a deduction of the tests' own: one occurrence per matter of the unit whose problem says "作风问题" ------------


def findings(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
    out: dict[int, list[RecordRef]] = {}
    for matter in Matter.objects.filter(problem__contains="作风问题").order_by("pk"):
        for unit in matter.units.all():
            ref = RecordRef("matters.matter", matter.pk, matter.code, reverse("matters:detail", args=[matter.pk]))
            out.setdefault(unit.pk, []).append(ref)
    return {key: Figure(float(len(refs)), records=tuple(refs)) for key, refs in out.items()}


@pytest.fixture
def with_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry with the tests' deduction beside the apps' indicators."""
    known = dict(registered())
    known[FINDINGS] = Indicator(FINDINGS, "作风问题（测试）", ("unit",), "deduction", findings)
    for module in ("oversight.selectors.assessment", "oversight.services.assessment", "oversight.forms_assessment"):
        monkeypatch.setattr(f"{module}.registered", lambda: known)


@dataclass
class Quarter:
    unit: Unit  # 基建办
    lead: Person  # 杨立新
    cadre: Person  # the demo cadre
    closed: Matter
    rated: Matter  # completed, 3 satisfied and 2 dissatisfied public ratings
    open: Matter
    finding: Matter  # a "作风问题" the tests' deduction counts


def quarter() -> Quarter:
    """The matters and visits of Q1 2031, made in February (time frozen there)."""
    cadre = get_user_model().objects.get(username="cadre").person
    with time_machine.travel(IN_Q1, tick=False):
        closed = matter_in(Status.CLOSED, problem="赵罗路路面破损（测试）")
        rated = matter_in(Status.COMPLETED, problem="小区垃圾清运不及时（测试）")
        for value in ["satisfied"] * 3 + ["dissatisfied"] * 2:
            matter_rating_counted(matter=rated, value=value)
        still = matter_in(Status.IN_PROGRESS, problem="路灯不亮（测试）")
        finding = matter_in(Status.ASSIGNED, problem="作风问题：敷衍应付（测试）")
        matter_in(Status.DECLINED, problem="不属于受理范围（测试）")
        for day in (3, 4, 10):
            Visit.objects.create(
                person=cadre, date=dt.date(2031, 2, day), hours=Decimal(2), kind="household",
                place_kind="household", place_detail="入户（测试）", entered_at=IN_Q1,
            )  # fmt: skip
    return Quarter(
        unit=Unit.objects.get(name="基建办"),
        lead=Person.objects.get(name="杨立新"),
        cadre=cadre,
        closed=closed,
        rated=rated,
        open=still,
        finding=finding,
    )


UNIT_ITEMS = [
    {"indicator": "matters.resolution", "weight": 30},
    {"indicator": "matters.on_time", "weight": 20},
    {"indicator": "matters.public_satisfaction", "weight": 20},
    {"indicator": "", "label": "工作作风（测试）", "weight": 30, "min_score": 10},
]


def unit_scheme(*, deduction: bool = False, appeal_days: int = 5) -> Scheme:
    items = list(UNIT_ITEMS)
    if deduction:
        items.append({"indicator": FINDINGS, "points": 2, "cap": 5})
    return services.scheme_create(
        actor=None, name="单位季度考核（测试）", subject="unit", period_kind="quarter", items=items,
        appeal_days=appeal_days,
    )  # fmt: skip


def person_scheme() -> Scheme:
    return services.scheme_create(
        actor=None, name="个人季度考核（测试）", subject="person", period_kind="quarter",
        items=[{"indicator": "fieldwork.household_visits", "weight": 40, "target": 4},
               {"indicator": "matters.resolution", "weight": 60}],
    )  # fmt: skip


def computed(scheme: Scheme) -> Assessment:
    """The scheme's assessment of Q1 2031, computed as the job would (its collection, then its last step)."""
    assessment = services.assessment_open(actor=None, scheme=scheme, period=Q1)
    return services.assessment_computed(actor=None, assessment=assessment, figures=collect(assessment))


def row(assessment: Assessment, subject_id: int) -> dict[str, Any]:
    assessment.refresh_from_db()
    return next(r for r in assessment.result["rows"] if r["id"] == subject_id)


def cell(assessment: Assessment, subject_id: int, indicator: str) -> dict[str, Any]:
    items = {i["id"]: i for i in assessment.result["items"]}
    return next(c for c in row(assessment, subject_id)["cells"] if items[c["item"]]["indicator"] == indicator)
