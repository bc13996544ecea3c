"""Point 11: the demo cases are invented (（演示）, 139-0000-00xx), owned by the seed's four leaders, and load once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from matters.workflow import Status
from petitions import demo
from petitions.models import CloseWay, PetitionCase, Petitioner

pytestmark = pytest.mark.usefixtures("demo")


@time_machine.travel(dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_demo_cases_are_invented_owned_by_the_four_leaders_and_loading_twice_adds_nothing() -> None:
    assert demo.load() == 5
    assert demo.load() == 0
    cases = PetitionCase.objects.filter(ref__startswith="demo:petition:")
    assert cases.count() == 5
    owners = set(cases.values_list("owners__name", flat=True))
    assert owners == {"邹国柱", "曾湛涛", "杨立新", "吕相阳"}
    assert len(set(cases.values_list("focus__code", flat=True))) == 5
    for person in Petitioner.objects.filter(case__in=cases):
        assert person.name.endswith("（演示）") and person.phone.startswith("139-0000-00")
    closed = cases.filter(matter__status=Status.CLOSED)
    assert sorted(closed.values_list("closings__way", flat=True)) == sorted([CloseWay.ACCEPTED, CloseWay.TERMINATED])

    from petitions.models import Dispute, HomeVisit, ScreeningRound

    rounds = ScreeningRound.objects.filter(community__name__in=["长宇社区", "卫王社区"])
    assert rounds.count() == 4 and rounds.filter(zero_report=True).exists()
    assert Dispute.objects.count() == 3 and HomeVisit.objects.count() == 1
