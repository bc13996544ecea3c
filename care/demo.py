"""Care's demo: invented households（演示）in 长宇社区 and 卫王社区, pairings with the seed's cadres, and (with the
records of work) a dozen micro-wishes in every state. Names and numbers are plainly fictitious. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from care import services
from care.categories import categories_ensure
from care.models import Category, ClaimerKind, Household, Wish, WishState
from org.models import Person, Unit

# ref, community ref, compound ref, address, categories, situation, members (name, relation, age, phone)
HOUSEHOLDS: list[tuple[str, str, str, str, list[str], str, list[tuple[str, str, int, str]]]] = [
    (
        "demo:household:1",
        "seed:community:changyu",
        "seed:compound:changyuxincheng",
        "长宇新城演示楼1栋101（演示）",
        ["elderly_alone"],
        "独居老人，行动不便（演示）",
        [("甲老人（演示）", "户主", 81, "13900000001")],
    ),
    (
        "demo:household:2",
        "seed:community:changyu",
        "seed:compound:yangyizhu",
        "杨亦主小区演示楼2栋202（演示）",
        ["dibao", "illness"],
        "低保户，户主大病住院（演示）",
        [("乙户主（演示）", "户主", 52, "13900000002"), ("乙配偶（演示）", "配偶", 50, "")],
    ),
    (
        "demo:household:3",
        "seed:community:changyu",
        "",
        "长宇社区演示街3号（演示）",
        ["left_behind_child"],
        "父母外出务工，祖孙同住（演示）",
        [("丙祖母（演示）", "户主", 68, "13900000003"), ("丙孩子（演示）", "孙子女", 9, "")],
    ),
    (
        "demo:household:4",
        "seed:community:weiwang",
        "seed:compound:zhengxin",
        "正信花园演示楼4栋404（演示）",
        ["disability"],
        "户主肢体残疾（演示）",
        [("丁户主（演示）", "户主", 45, "13900000004")],
    ),
    (
        "demo:household:5",
        "seed:community:weiwang",
        "",
        "卫王社区演示巷5号（演示）",
        ["unemployed", "tekun"],
        "失业，独自抚养子女（演示）",
        [("戊户主（演示）", "户主", 39, "13900000005"), ("戊子女（演示）", "子女", 12, "")],
    ),
]
# household ref → cadre refs
PAIRINGS = {
    "demo:household:1": ["demo:person:cadre"],
    "demo:household:2": ["demo:person:cadre", "seed:person:lulu"],
    "demo:household:3": ["seed:person:lulu"],
    "demo:household:4": ["seed:person:zhanhanwen"],
    "demo:household:5": ["seed:person:lulu"],
}
# household ref, wish, value, state it reaches
WISHES: list[tuple[str, str, str, str]] = [
    ("demo:household:1", "一台收音机（演示）", "120", WishState.SUBMITTED),
    ("demo:household:1", "冬季棉被一床（演示）", "200", WishState.PUBLISHED),
    ("demo:household:2", "一个电饭煲（演示）", "150", WishState.PUBLISHED),
    ("demo:household:2", "住院期间陪护一次（演示）", "0", WishState.CLAIMED),
    ("demo:household:3", "孩子的新书包（演示）", "80", WishState.CLAIMED),
    ("demo:household:3", "一套课外读物（演示）", "100", WishState.DELIVERED),
    ("demo:household:3", "一双运动鞋（演示）", "150", WishState.FULFILLED),
    ("demo:household:4", "轮椅维修一次（演示）", "180", WishState.FULFILLED),
    ("demo:household:4", "安装扶手（演示）", "300", WishState.PUBLISHED),
    ("demo:household:5", "技能培训报名（演示）", "500", WishState.SUBMITTED),
    ("demo:household:5", "孩子的学习台灯（演示）", "90", WishState.DELIVERED),
    ("demo:household:5", "一袋大米和食用油（演示）", "160", WishState.FULFILLED),
]
_ORDER = [WishState.SUBMITTED, WishState.PUBLISHED, WishState.CLAIMED, WishState.DELIVERED, WishState.FULFILLED]


def load(*, with_wishes: bool = True) -> dict[str, int]:
    categories_ensure(Category)
    today = timezone.localdate()
    households: dict[str, Household] = {}
    for ref, community, compound, address, codes, situation, members in HOUSEHOLDS:
        household = Household.objects.filter(ref=ref).first()
        if household is None:
            household = services.household_create(
                actor=None,
                community=Unit.objects.get(ref=community),
                compound=Unit.objects.get(ref=compound) if compound else None,
                address=address,
                categories=Category.objects.filter(code__in=codes),
                situation=situation,
                last_reviewed_on=today - dt.timedelta(days=40),
                ref=ref,
            )
            for name, relation, age, phone in members:
                services.member_add(actor=None, household=household, name=name, relation=relation, age=age, phone=phone)
        households[ref] = household
        for cadre_ref in PAIRINGS.get(ref, []):
            cadre = Person.objects.get(ref=cadre_ref)
            if not household.pairings.filter(cadre=cadre).exists():
                services.pairing_create(
                    actor=None,
                    cadre=cadre,
                    household=household,
                    started_on=today - dt.timedelta(days=60),
                    target_outcome="生活困难得到缓解（演示）",
                    review_on=today + dt.timedelta(days=30),
                )
    wishes = 0
    if with_wishes:
        claimer = Person.objects.get(ref="demo:person:cadre")
        for number, (ref, text, value, state) in enumerate(WISHES):
            household = households[ref]
            if Wish.objects.filter(household=household, text=text).exists():
                continue
            # Taken on the days before today (demo matters are all reported before today).
            taken = timezone.now() - dt.timedelta(days=1, hours=number)
            wish = services.wish_create(
                actor=None, household=household, text=text, value=Decimal(value), reported_at=taken
            )
            wishes += 1
            reach = _ORDER.index(WishState(state))
            if reach >= 1:
                wish = services.wish_publish(actor=None, wish=wish)
            if reach >= 2:
                wish = services.wish_claim(actor=claimer.user, wish=wish, claimer_kind=ClaimerKind.CADRE)
            if reach >= 3:
                wish = services.wish_deliver(actor=None, wish=wish)
            if reach >= 4:
                services.wish_confirm(actor=None, wish=wish, household_confirmed=True)
    return {"households": len(households), "wishes": wishes}
