"""The seed's campaign of 2022: dates, goals, four phases and the weekly duty rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from campaigns import services
from campaigns.models import Campaign, DutyMetric, DutyPeriod, DutyRole, DutyRule, Phase
from core.dates import add_months
from core.types import Actor
from org.models import Unit

REF = "seed:campaign:2022"
NAME = "党员干部下基层察民情解民忧暖民心实践活动"
STARTS_ON = dt.date(2022, 5, 1)
ENDS_ON = dt.date(2022, 12, 31)
# --shift-to-today maps today's month onto this seed month: the deepening phase, with lists to show.
ANCHOR_MONTH = dt.date(2022, 7, 1)

GOALS = "\n".join(
    [
        "突出组织群众，实施“党建引领·文明小区”创建行动，推动更多群众参与文明创建",
        "突出事要解决，实施“信访积案攻坚”行动，着力化解一批信访积案",
        "突出政策落实，实施“解决问题面对面”行动，帮助企业解决一批现实困难",
        "突出办好实事，实施“民生实事群众评”行动，推动群众反映的急难愁盼问题解决",
    ]
)
DESCRIPTION = (
    "深入基层、深入群众，切实找准群众所思所忧所盼；推动党员干部在基层一线现场解决问题；"
    "多做群众有获得感的小事、实事。要坚决防止以干部主观臆断代替群众意愿。"
)

# Each phase's deadline is its date (shown from it); the seed's "（5月下旬）" and the like are left out of the
# texts, which would contradict a campaign moved by --shift-to-today (migration 0002 strips them from old installs).
PHASES = [
    (1, "动员部署阶段", dt.date(2022, 5, 31), "结合实际制定实践活动方案，召开动员会，全面启动"),
    (
        2,
        "全面开展阶段",
        dt.date(2022, 6, 30),
        "深入基层走访调研，定期梳理并发布问题清单、任务清单、效果清单，确保实事有进度有效果",
    ),
    (3, "持续深化阶段", dt.date(2022, 10, 31), "办成一批民生实事，解决一批难点问题，化解一批矛盾纠纷"),
    (4, "巩固提升阶段", dt.date(2022, 12, 31), "巩固实事成果，提升服务质效，健全规章制度"),
]

W, MO = DutyPeriod.WEEK, DutyPeriod.MONTH
RULES = [
    (DutyRole.LEADER, DutyMetric.FIELD_DAYS, Decimal("1"), W, "每周至少1天实地走访、调研座谈"),
    (DutyRole.LEADER, DutyMetric.MATTERS_SOLVED, Decimal("1"), W, "每周至少着力解决1件群众反映强烈的突出问题"),
    (DutyRole.LEADER, DutyMetric.ENTERPRISES_SERVED, Decimal("1"), W, "每周联系服务1家企业"),
    (
        DutyRole.CADRE,
        DutyMetric.GRASSROOTS_HOURS,
        Decimal("20"),
        W,
        "每周至少20个小时参与基层党建、社会治理、疫情防控等重点工作",
    ),
    (DutyRole.CADRE, DutyMetric.HOUSEHOLD_VISITS, Decimal("1"), W, "每周要入户走访，问需于民，问计于民"),
    (
        DutyRole.COMMITTEE,
        DutyMetric.REVIEW_MEETINGS,
        Decimal("1"),
        MO,
        "园区党委每月专题研究一次察民情汇总情况，梳理形成三张清单",
    ),
]


def load(*, actor: Actor = None, shift_months: int = 0) -> Campaign:
    """Create or update the campaign, moved by `shift_months` whole months."""
    organiser = Unit.objects.get(ref="seed:park")
    starts_on, ends_on = add_months(STARTS_ON, shift_months), add_months(ENDS_ON, shift_months)
    fields = {"name": NAME, "organiser": organiser, "goals": GOALS, "description": DESCRIPTION}
    campaign = Campaign.objects.filter(ref=REF).first()
    if campaign is None:
        campaign = services.campaign_create(actor=actor, ref=REF, starts_on=starts_on, ends_on=ends_on, **fields)
    else:
        deadlines = {order: add_months(deadline, shift_months) for order, _name, deadline, _focus in PHASES}
        services.campaign_reschedule(
            actor=actor, campaign=campaign, starts_on=starts_on, ends_on=ends_on, deadlines=deadlines
        )
        services.campaign_update(actor=actor, campaign=campaign, data=fields)
    for order, name, deadline, focus in PHASES:
        data = {"name": name, "ends_on": add_months(deadline, shift_months), "focus": focus}
        phase = Phase.objects.filter(campaign=campaign, order=order).first()
        if phase is None:
            services.phase_create(actor=actor, campaign=campaign, order=order, **data)
        else:
            services.phase_update(actor=actor, phase=phase, data=data)
    for role, metric, threshold, period, description in RULES:
        if not DutyRule.objects.filter(campaign=campaign, role=role, metric=metric, period=period).exists():
            services.duty_rule_create(
                actor=actor,
                campaign=campaign,
                role=role,
                metric=metric,
                threshold=threshold,
                period=period,
                description=description,
            )
    return campaign
