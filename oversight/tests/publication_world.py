"""The publication tests' month: June 2022 of the seed's campaign, with public, private and declined matters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine

from campaigns import demo as campaign_demo
from campaigns.models import Campaign
from matters.models import Matter
from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status

TZ = ZoneInfo("Asia/Shanghai")
JUNE = dt.date(2022, 6, 1)
IN_JUNE = dt.datetime(2022, 6, 10, 10, 0, tzinfo=TZ)
IN_JULY = dt.datetime(2022, 7, 5, 10, 0, tzinfo=TZ)  # June has ended; July has not
LATER = dt.datetime(2022, 7, 20, 10, 0, tzinfo=TZ)

# Planted personal data: each is unique, so finding it in a public answer means it leaked.
REPORTER_NAME = "欧阳藏名"
REPORTER_PHONE = "13987650009"
TYPED_PHONE = "13812340007"
ID_NUMBER = "110105198807071236"
PERSONAL = (REPORTER_NAME, REPORTER_PHONE, TYPED_PHONE, ID_NUMBER)


@dataclass
class Month:
    campaign: Campaign
    accepted: Matter  # reported and accepted in June, not yet assigned
    in_hand: Matter  # in progress at 50 %
    done: Matter  # completed in June
    private: Matter  # in progress, not public
    declined: Matter  # declined: never public
    typed: Matter  # its problem holds a phone and an ID number typed in

    @property
    def public_codes(self) -> set[str]:
        return {self.accepted.code, self.in_hand.code, self.done.code, self.typed.code}


def june() -> Month:
    """The matters of June 2022, made in June (time frozen there)."""
    campaign = Campaign.objects.get(ref=campaign_demo.REF)
    reporter = {"reporter_name": REPORTER_NAME, "reporter_phone": REPORTER_PHONE}
    with time_machine.travel(IN_JUNE, tick=False):
        accepted = matter_in(Status.ACCEPTED, problem="长宇社区路口积水（测试）", **reporter)
        in_hand = matter_in(Status.IN_PROGRESS, problem="赵罗路路灯不亮（测试）", **reporter)
        in_hand = matter_transition(matter=in_hand, action="progress", actor=None, text="已更换一半", percent=50)
        done = matter_in(Status.COMPLETED, problem="小区垃圾清运不及时（测试）", **reporter)
        private = matter_in(Status.IN_PROGRESS, problem="某户家庭纠纷（测试，不公开）", is_public=False, **reporter)
        declined = matter_in(Status.DECLINED, problem="不属于受理范围的诉求（测试）", **reporter)
        typed = matter_in(
            Status.ACCEPTED, problem=f"请联系{TYPED_PHONE}，身份证{ID_NUMBER}，楼道灯坏了（测试）", **reporter
        )
    return Month(campaign, accepted, in_hand, done, private, declined, typed)
