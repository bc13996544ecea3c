"""The seed's compounds with invented property companies, committees and contacts (（演示）, 139000000xx); with
the records of work (`full`): linkage meetings whose decisions became the seed's matters, owners' votes, residents'
ratings of the property company, the seed's policy talks, a checklist and its scored quarter. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaigns.demo import REF as CAMPAIGN_REF
from campaigns.models import Campaign
from compounds import selectors, services
from compounds.models import (
    Checklist,
    CompoundProfile,
    DerivedSource,
    LinkageMeeting,
    PolicyTalk,
    PropertyRating,
    ScoringMethod,
    TalkPlace,
    Title,
    TitleAward,
    VoteSubject,
)
from core.dates import add_months
from fieldwork.models import Visit, VisitKind
from matters.models import Matter
from org.models import Unit, UnitKind

# (unit ref, name, community ref, address, buildings, households, area m², owners, property company or "")
COMPOUNDS = [
    (
        "seed:compound:changyuxincheng",
        "长宇新城",
        "seed:community:changyu",
        "长乐山大道88号（演示）",
        12,
        960,
        "86400.00",
        930,
        "长宇物业服务有限公司（演示）",
    ),
    (
        "seed:compound:yangyizhu",
        "杨亦主小区",
        "seed:community:changyu",
        "杨亦路12号（演示）",
        6,
        310,
        "24800.00",
        305,
        "",
    ),
    (
        "seed:compound:zhengxin",
        "正信花园",
        "seed:community:weiwang",
        "卫王路16号（演示）",
        9,
        620,
        "55800.00",
        600,
        "正信物业管理有限公司（演示）",
    ),
    (
        "demo:compound:yuexin",
        "悦馨家园",
        "seed:community:weiwang",
        "赵罗路9号（演示）",
        8,
        540,
        "48600.00",
        528,
        "悦馨物业服务有限公司（演示）",
    ),
    (
        "demo:compound:yipintonghua",
        "一品铜花",
        "seed:community:weiwang",
        "铜花路3号（演示）",
        5,
        280,
        "25200.00",
        276,
        "一品物业（演示）",
    ),
]
CHECKLIST = "2022年“党建引领·文明小区”创建测评表（演示）"
ITEMS = [
    (1, "小区党组织、业委会、物业三方联动机制健全", "10", ScoringMethod.YES_NO, 1, ""),
    (2, "环境卫生整洁、楼道无堆放", "20", ScoringMethod.SCALE, 5, ""),
    (3, "居民反映事项按期办结", "25", ScoringMethod.DERIVED, 1, DerivedSource.ON_TIME),
    (4, "本季度召开三方联动会议（3次满分）", "15", ScoringMethod.DERIVED, 3, DerivedSource.MEETINGS),
    (5, "居民对小区事项办理的评价", "15", ScoringMethod.DERIVED, 1, DerivedSource.RATINGS),
    (6, "居民对物业服务的评价", "15", ScoringMethod.DERIVED, 1, DerivedSource.PROPERTY),
]
# Per compound: item 1 and item 2 scores, the residents' property ratings in the quarter.
MANUAL = {
    "长宇新城": (1, 4, [5, 4, 4, 3]),
    "正信花园": (1, 3, [4, 3, 3]),
    "杨亦主小区": (0, 2, []),
    "悦馨家园": (1, 5, [5, 5, 4]),
    "一品铜花": (0, 3, [2, 3]),
}


def _unit(ref: str, name: str, community_ref: str) -> Unit:
    unit = Unit.objects.filter(ref=ref).first() or Unit.objects.filter(name=name, kind=UnitKind.COMPOUND).first()
    if unit is None:
        unit = Unit.objects.create(
            ref=ref, name=name, kind=UnitKind.COMPOUND, parent=Unit.objects.get(ref=community_ref), order=90
        )
    return unit


def _profiles() -> list[CompoundProfile]:
    out = []
    for index, (ref, name, community, address, buildings, households, area, owners, company) in enumerate(COMPOUNDS):
        unit = _unit(ref, name, community)
        profile = CompoundProfile.objects.filter(compound=unit).first()
        if profile is None:
            profile = services.profile_create(
                actor=None,
                compound=unit,
                address=address,
                buildings=buildings,
                households=households,
                exclusive_area=Decimal(area),
                owners=owners,
                has_property_company=bool(company),
                property_company=company,
                property_company_contact=f"物业经理{index + 1}（演示）" if company else "",
                property_company_phone=f"139000001{index:02d}" if company else "",
                party_contact_name=f"{name}党支部联络员（演示）",
                party_contact_phone=f"139000002{index:02d}",
            )
            for order, role in enumerate(["director", "deputy", "member"]):
                services.committee_member_add(
                    actor=None,
                    profile=profile,
                    name=f"{name}业委会{'甲乙丙'[order]}（演示）",
                    role=role,
                    phone=f"139000003{index}{order}",
                    term_starts=dt.date(2021, 7, 1),
                    term_ends=dt.date(2026, 6, 30),
                )
        out.append(profile)
    return out


def _meetings(profiles: list[CompoundProfile], shift: int) -> int:
    made = 0
    for index, profile in enumerate(profiles):
        name = profile.compound.name
        for number, day in enumerate([dt.date(2022, 4, 20), dt.date(2022, 5, 18), dt.date(2022, 6, 15)]):
            held_on = add_months(day, shift) + dt.timedelta(days=index)
            if (
                held_on > timezone.localdate()
                or LinkageMeeting.objects.filter(compound=profile, held_on=held_on).exists()
            ):
                continue
            missing = (index + number) % 4 == 3 or not profile.has_property_company
            meeting = services.meeting_create(
                actor=None,
                profile=profile,
                held_on=held_on,
                place=f"{name}党群服务站（演示）",
                party_attendees="社区书记（演示）\n网格员（演示）",
                committee_attendees=f"{name}业委会甲（演示）",
                property_attendees="" if missing else "物业项目经理（演示）",
                topics_organisation="小区党支部与业委会、物业交叉任职情况。",
                topics_affairs="楼道照明、停车与充电设施改造。",
                topics_disputes="楼上漏水引起的邻里纠纷调解。",
                topics_services="居民对物业服务的季度评议。",
                decisions=["由物业牵头排查楼道灯具并更换。", "业委会组织征求业主对充电桩选址的意见。"],
            )
            made += 1
            seed = Matter.objects.filter(problem__contains=name, linkage_decision__isnull=True).order_by("pk").first()
            first = meeting.decisions.first()
            if seed is not None and first is not None and number == 0:
                services.decision_link_matter(actor=None, decision=first, matter=seed)
            if number == 2 and index == 0 and first is not None and not hasattr(first, "vote"):
                services.vote_record(
                    actor=None,
                    decision=first,
                    subject=VoteSubject.USE_REPAIR_FUND,
                    held_on=held_on,
                    voting_area=Decimal("64800.00"),
                    voting_owners=700,
                    agreeing_area=Decimal("40000.00"),
                    agreeing_owners=420,
                    passed=True,
                )
    return made


def _scores(profiles: list[CompoundProfile], shift: int) -> None:
    campaign = Campaign.objects.filter(ref=CAMPAIGN_REF).first()
    checklist, created = Checklist.objects.get_or_create(name=CHECKLIST, defaults={"campaign": campaign})
    if created:
        for order, name, weight, method, top, source in ITEMS:
            checklist.items.create(
                order=order, name=name, weight=Decimal(weight), method=method, top=top, source=source
            )
    period_day = add_months(dt.date(2022, 5, 1), shift)
    period = f"{period_day.year}Q{(period_day.month - 1) // 3 + 1}"
    starts, _ends = services.period_dates(period)
    items = list(checklist.items.all())
    for profile in profiles:
        yes, scale, ratings = MANUAL[profile.compound.name]
        if profile.has_property_company and not PropertyRating.objects.filter(compound=profile).exists():
            for offset, score in enumerate(ratings):
                services.property_rating_add(
                    actor=None, profile=profile, rated_on=starts + dt.timedelta(days=20 + offset), score=score
                )
        if profile.assessments.filter(checklist=checklist, period=period).exists():
            continue
        manual = {items[0].pk: yes, items[1].pk: scale}
        services.assessment_record(actor=None, checklist=checklist, profile=profile, period=period, scores=manual)
    ranked = selectors.ranking(period=period, checklist_id=checklist.pk)
    if ranked and not TitleAward.objects.filter(checklist=checklist).exists():
        best = ranked[0].assessment
        services.title_award(
            actor=None, profile=best.compound, checklist=checklist, title=Title.STANDARD, awarded_on=best.scored_on
        )


def _talks(profiles: list[CompoundProfile]) -> int:
    by_unit = {p.compound_id: p for p in profiles}
    made = 0
    for visit in Visit.objects.filter(kind=VisitKind.POLICY_TALK, policy_talk__isnull=True).select_related("unit"):
        profile = by_unit.get(visit.unit_id) if visit.unit_id else None
        PolicyTalk.objects.create(
            visit=visit,
            place=TalkPlace.COMPOUND if profile else TalkPlace.BUILDING,
            compound=profile,
            place_detail="" if profile else (visit.place_detail or "社区活动室")[:120],
            speaker="宣讲员（演示）",
            topic="惠民政策宣讲",
            audience=visit.participants or 20,
        )
        made += 1
    return made


def load(*, shift_months: int = 0, full: bool = True) -> str:
    with transaction.atomic():
        profiles = _profiles()
        if not full:
            return f"Demo compounds: {len(profiles)}."
        meetings = _meetings(profiles, shift_months)
        _scores(profiles, shift_months)
        talks = _talks(profiles)
    return f"Demo compounds: {len(profiles)}, {meetings} new linkage meetings, {talks} new policy talks."
