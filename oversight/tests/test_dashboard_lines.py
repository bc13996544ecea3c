"""The special lines' charts on the dashboard (extension point "oversight.charts"): petition cases closed toward the
goal, micro-wishes fulfilled, policies delivered; each against records built through the lines' own services, with
time frozen, as differences over the session's demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from care import services as care
from care.models import Category as CareCategory
from core.uploads import clean_upload
from enterprises import services as enterprises
from enterprises.models import EnterpriseProfile, Policy
from matters.services import matter_transition
from matters.workflow import Action
from org.models import Person, Unit
from oversight import charts
from oversight.series import ChartSpec
from petitions import services as petitions
from petitions.models import FocusArea, PetitionCase

pytestmark = pytest.mark.usefixtures("demo")
TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAY_TO_SEPT = (dt.date(2022, 5, 1), dt.date(2022, 9, 30))


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@contextmanager
def on(day: dt.date) -> Iterator[None]:
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=TZ), tick=False):
        yield


def line(key: str, start: dt.date, end: dt.date, scope: charts.Scope = None) -> ChartSpec:
    entry = next(e for e in charts.declared() if e["key"] == key)
    return charts.line_chart(entry, start, end, scope)


def series(spec: ChartSpec) -> dict[str, list[Any]]:
    return {s.name: list(s.values) for s in spec.series}


def minus(after: list[Any], before: list[Any]) -> list[Any]:
    return [a - b for a, b in zip(after, before, strict=True)]


def _case(received: str) -> PetitionCase:
    return petitions.case_create(
        actor=None,
        data={
            "summary": "反映工地欠薪（看板测试）",
            "focus": FocusArea.objects.get(code="wages").pk,
            "received_on": received,
            "first_petition_on": "2021-11-02",
            "petition_count": 2,
            "level": "district",
            "channel": "visit",
            "risk": "high",
            "owners": [Person.objects.get(name="杨立新").pk],
            "handling_units": [Unit.objects.get(name="基建办").pk],
            "visit_every_days": 30,
        },
        petitioners=[{"name": "看板某某（演示）", "phone": "139-0000-0077"}],
    )


def _closed(case: PetitionCase, day: dt.date) -> None:
    """Worked, solved with evidence, verified and closed (息诉罢访) on `day`."""
    with on(day - dt.timedelta(days=3)):
        matter_transition(matter=case.matter, action=Action.ACCEPT, actor=None)
        matter_transition(
            matter=case.matter,
            action=Action.ASSIGN,
            actor=None,
            task="化解",
            deadline=day + dt.timedelta(days=60),
            leads=[Person.objects.get(name="杨立新")],
            units=[Unit.objects.get(name="基建办")],
        )
        matter_transition(matter=case.matter, action=Action.START, actor=None)
        petitions.disposition_add(
            actor=None,
            case=case,
            term="solved",
            done="已解决",
            done_on=day - dt.timedelta(days=3),
            evidence=[clean_upload("e.pdf", PDF)],
        )
        matter_transition(matter=case.matter, action=Action.COMPLETE, actor=None, effect="已解决")
        matter_transition(matter=case.matter, action=Action.VERIFY, actor=None)
    with on(day):
        petitions.case_close(actor=None, case=case, way="accepted", basis="信访人签字承诺息诉罢访")


def test_petition_cases_closed_count_toward_the_goal_at_each_months_end_and_a_reopening_takes_one_back() -> None:
    with on(dt.date(2022, 10, 15)):
        before = series(line("petition_closed", *MAY_TO_SEPT))
    with on(dt.date(2022, 5, 12)):
        first, _second = _case("2022-05-10"), _case("2022-05-11")
    _closed(first, dt.date(2022, 6, 20))
    with on(dt.date(2022, 8, 5)):
        petitions.case_petitioned_again(actor=None, case=first, on=dt.date(2022, 8, 5))
    with on(dt.date(2022, 10, 15)):
        spec = line("petition_closed", *MAY_TO_SEPT)
    after = series(spec)
    assert spec.labels == ["2022年5月", "2022年6月", "2022年7月", "2022年8月", "2022年9月"]
    assert spec.kind == "line" and spec.unit == "件"
    assert minus(after["已化解积案"], before["已化解积案"]) == [0, 1, 1, 0, 0]  # reopened in August
    assert minus(after["包保积案总数（目标）"], before["包保积案总数（目标）"]) == [2, 2, 2, 2, 2]
    with on(dt.date(2022, 10, 15)):
        other = series(line("petition_closed", *MAY_TO_SEPT, Unit.objects.get(name="长宇社区")))
    assert other["包保积案总数（目标）"] == [0] * 5  # another unit's scope holds none of 基建办's cases


def test_micro_wishes_published_and_fulfilled_count_in_their_months_and_in_their_communitys_scope() -> None:
    changyu = Unit.objects.get(ref="seed:community:changyu")
    weiwang = Unit.objects.get(ref="seed:community:weiwang")
    cadre = get_user_model().objects.get(username="cadre")
    period = (dt.date(2022, 6, 1), dt.date(2022, 7, 31))
    with on(dt.date(2022, 8, 1)):
        before = series(line("wishes_fulfilled", *period, changyu))
        before_other = series(line("wishes_fulfilled", *period, weiwang))
    with on(dt.date(2022, 6, 10)):
        household = care.household_create(
            actor=None,
            community=changyu,
            address="看板测试楼1栋（演示）",
            categories=[CareCategory.objects.get(code="dibao")],
        )
        wishes = [
            care.wish_publish(
                actor=None, wish=care.wish_create(actor=None, household=household, text=text, value=Decimal("80"))
            )
            for text in ("一台收音机", "一把椅子")
        ]
        care.wish_claim(actor=cadre, wish=wishes[0])
    with on(dt.date(2022, 7, 2)):
        care.wish_confirm(actor=None, wish=wishes[0], household_confirmed=True)
    with on(dt.date(2022, 8, 1)):
        after = series(line("wishes_fulfilled", *period, changyu))
        after_other = series(line("wishes_fulfilled", *period, weiwang))
    assert minus(after["发布心愿"], before["发布心愿"]) == [2, 0]
    assert minus(after["实现心愿"], before["实现心愿"]) == [0, 1]
    assert after_other == before_other


def test_policies_delivered_count_per_month_by_outcome_and_in_the_deliverers_unit() -> None:
    period = (dt.date(2022, 6, 1), dt.date(2022, 7, 31))
    leader = Person.objects.get(ref="seed:person:yanglixin")
    with on(dt.date(2022, 8, 1)):
        before = series(line("policies_delivered", *period))
        mine_before = series(line("policies_delivered", *period, leader.unit))
    policy = Policy.objects.get(ref="demo:policy:copper-chain")
    enterprise = EnterpriseProfile.objects.get(unit__ref="demo:enterprise:tongye")
    with on(dt.date(2022, 7, 20)):
        for day, outcome in ((dt.date(2022, 6, 8), "informed"), (dt.date(2022, 7, 12), "informed")):
            enterprises.delivery_create(
                actor=None, policy=policy, enterprise=enterprise, person=leader, delivered_on=day, way="visit",
                outcome=outcome,
            )  # fmt: skip
    with on(dt.date(2022, 8, 1)):
        spec = line("policies_delivered", *period)
        mine = series(line("policies_delivered", *period, leader.unit))
    after = series(spec)
    assert spec.kind == "stacked" and spec.labels == ["2022年6月", "2022年7月"]
    assert list(after) == ["已告知", "已申报", "已兑现", "不适用"]
    assert minus(after["已告知"], before["已告知"]) == [1, 1]
    assert minus(after["已兑现"], before["已兑现"]) == [0, 0]
    assert minus(mine["已告知"], mine_before["已告知"]) == [1, 1]


def test_a_line_chart_runs_only_to_today_when_its_period_runs_on() -> None:
    with on(dt.date(2022, 7, 20)):
        spec = line("wishes_fulfilled", dt.date(2022, 5, 1), dt.date(2022, 12, 31))
        weekly = charts.raised_solved_weekly(dt.date(2022, 5, 30), dt.date(2022, 12, 31), None)
    assert spec.labels[-1] == "2022年7月"
    assert len(weekly.labels) == 8 and weekly.labels[-1].startswith("第29周")
