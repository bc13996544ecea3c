"""The reviews area's demo data (a step of oversight.demo): every ended month of the seed's campaign has its
review, prepared from the records, held with the party committee's secretary in the chair, a few decisions and
its minutes, and closed. Running it again adds nothing; with --shift-to-today the months move with the campaign."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.models import Campaign
from core.plugins import DemoOptions
from matters.deadlines import add_working_days
from matters.models import Matter
from matters.workflow import UNFINISHED
from org.models import Person
from oversight.models.reviews import DecisionKind, Review, ReviewStatus
from oversight.selectors.reviews import campaign_months, minutes_draft, month_end, prepare
from oversight.services import reviews as services

CAMPAIGN = "seed:campaign:2022"
CHAIR = "seed:person:xiong"
ATTENDEES = [
    "seed:person:zouguozhu",
    "seed:person:deputy2",
    "seed:person:ke",
    "seed:person:zengzhantao",
    "seed:person:chen",
    "seed:person:liyongjin",
]


def _held_on(month: dt.date, today: dt.date) -> dt.date:
    """The third working day after the month: the committee reviews the month once it has ended."""
    return min(add_working_days(month_end(month), 3), today)


def _one(campaign: Campaign, month: dt.date, today: dt.date) -> bool:
    if Review.objects.filter(campaign=campaign, month=month).exclude(status=ReviewStatus.CANCELLED).exists():
        return False
    chair = Person.objects.get(ref=CHAIR)
    attendees = list(Person.objects.filter(ref__in=ATTENDEES))
    review = services.review_create(
        actor=None,
        campaign=campaign,
        month=month,
        chair=chair,
        attendees=attendees,
        agenda=(
            f"一、听取综合协调专班关于{month.year}年{month.month}月察民情汇总情况的汇报（演示）\n"
            "二、研判问题清单、任务清单、效果清单\n三、研究逾期事项的督办和通报"
        ),
    )
    review = services.review_prepared(actor=None, review=review, data=prepare(month, campaign))
    review = services.review_hold(actor=None, review=review, held_on=_held_on(month, today))
    unfinished = Matter.objects.filter(status__in=UNFINISHED).order_by("reported_at", "pk").first()
    if unfinished is not None:
        services.decision_add(
            actor=None,
            review=review,
            kind=DecisionKind.CHASE,
            matter=unfinished,
            text=f"对{unfinished.code}进行催办，责任单位须在下周例会前报告进度（演示）",
        )
    services.decision_add(
        actor=None, review=review, kind=DecisionKind.CIRCULAR, text="对本月逾期未办结事项的责任单位进行通报（演示）"
    )
    services.decision_add(
        actor=None,
        review=review,
        kind=DecisionKind.OTHER,
        text="在园区公开栏和门户网站公布本月三张清单，接受群众监督（演示）",
    )
    review.refresh_from_db()
    services.review_close(actor=None, review=review, minutes=minutes_draft(review))
    return True


def load(options: DemoOptions) -> str:
    campaign = Campaign.objects.filter(ref=CAMPAIGN).first()
    if campaign is None:
        return ""
    today = timezone.localdate()
    ended = [m for m in campaign_months(campaign) if month_end(m) < today]
    made = sum(_one(campaign, month, today) for month in ended)
    return f"Demo reviews: {made} held and closed ({len(ended)} months ended)."
