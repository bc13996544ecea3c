"""Demo visits: five weeks of field work by the seed's leaders and some cadres, up to the campaign's current week.

Everything here is invented demo content: the seed names no enterprises (three are created, marked
（演示）), and household visits name no family ("长宇社区困难家庭（演示）"). Some people fall short in
some weeks on purpose (a cadre with 19.5 hours, a leader with no enterprise served, a leader with no
visits at all), so that the duty pages have something to show. Visits go through `visit_create`,
each with an import key, so loading again adds nothing; visits that would fall after today are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from campaigns import demo as campaign_demo
from core.dates import add_months
from fieldwork.models import PlaceKind, Visit, VisitKind
from fieldwork.services import visit_create
from org import services as org_services
from org.models import ContactPoint, Person, Unit, UnitKind

WEEKS = 5
ENTERPRISES: list[tuple[str, str]] = [
    ("demo:enterprise:xincailiao", "长乐山新材料有限公司（演示）"),
    ("demo:enterprise:jidian", "长乐山机电设备有限公司（演示）"),
    ("demo:enterprise:huanbao", "长乐山循环经济环保科技有限公司（演示）"),
]
CHANGYU, WEIWANG = "seed:community:changyu", "seed:community:weiwang"
YANGYIZHU, CHANGYUXINCHENG, ZHENGXIN = (
    "seed:compound:yangyizhu",
    "seed:compound:changyuxincheng",
    "seed:compound:zhengxin",
)


@dataclass(frozen=True)
class Entry:
    """One visit of a week's plan: which weekday, what, where, from when to when."""

    weekday: int  # 0 = Monday
    kind: str
    place: str  # "point", "enterprise", a unit's ref, or a household's neutral description
    start: str
    end: str
    notes: str = ""
    participants: int = 0


K = VisitKind
LEADER_FIELD_DAY = Entry(1, K.SITE_VISIT, "point", "08:30", "17:00", "走访联系点，听取居民和网格员意见建议。")
LEADER_SURVEY = Entry(1, K.SURVEY_MEETING, "point", "09:00", "17:00", "召开调研座谈会，梳理群众反映的突出问题。", 12)
LEADER_ENTERPRISE = Entry(
    3, K.ENTERPRISE, "enterprise", "14:00", "17:00", "走访企业，宣讲惠企政策，了解用工和融资需求。"
)


def _cadre_week(place: str, household: str, *, hours_short: bool = False, no_household: bool = False) -> list[Entry]:
    """20 hours of grassroots work with one household visit; 19.5 hours, or no household visit, when asked."""
    third = (
        Entry(2, K.POLICY_TALK, place, "09:00", "12:00", "在社区宣讲惠民政策。", 20)
        if no_household
        else Entry(2, K.HOUSEHOLD, household, "09:00", "12:00", "入户了解家庭生活困难和需求。")
    )
    return [
        Entry(0, K.PARTY_BUILDING, place, "09:00", "13:00", "组织主题党日，开展党员学习。", 15),
        Entry(
            1, K.GOVERNANCE, YANGYIZHU if place == CHANGYU else ZHENGXIN, "14:00", "18:00", "协调物业排查小区安全隐患。"
        ),
        third,
        Entry(
            3, K.GOVERNANCE, CHANGYUXINCHENG if place == CHANGYU else ZHENGXIN, "08:30", "13:30", "参与小区环境整治。"
        ),
        Entry(4, K.EMERGENCY, place, "14:00", "17:30" if hours_short else "18:00", "社区值班值守。"),
    ]


def _leader_week(*, enterprise: bool = True, survey: bool = False) -> list[Entry]:
    return [LEADER_SURVEY if survey else LEADER_FIELD_DAY, *([LEADER_ENTERPRISE] if enterprise else [])]


CHANGYU_HOUSEHOLD = "长宇社区困难家庭（演示）"
WEIWANG_HOUSEHOLD = "卫王社区独居老人家庭（演示）"
# person ref → the plan of each week, the oldest first; the last is the campaign's current week.
PLANS: dict[str, list[list[Entry]]] = {
    "seed:person:yanglixin": [
        _leader_week(),
        _leader_week(survey=True),
        _leader_week(enterprise=False),
        _leader_week(),
        _leader_week(survey=True),
    ],
    "seed:person:zouguozhu": [
        _leader_week(survey=True),
        [],
        _leader_week(),
        _leader_week(survey=True),
        _leader_week(),
    ],
    "seed:person:lvxiangyang": [_leader_week(survey=week % 2 == 1) for week in range(WEEKS)],
    "seed:person:zengzhantao": [
        _leader_week(),
        _leader_week(),
        _leader_week(survey=True),
        _leader_week(),
        _leader_week(enterprise=False),
    ],
    "demo:person:cadre": [
        _cadre_week(CHANGYU, CHANGYU_HOUSEHOLD),
        _cadre_week(CHANGYU, CHANGYU_HOUSEHOLD, hours_short=True),
        _cadre_week(CHANGYU, CHANGYU_HOUSEHOLD),
        _cadre_week(CHANGYU, CHANGYU_HOUSEHOLD),
        _cadre_week(CHANGYU, CHANGYU_HOUSEHOLD, hours_short=True),
    ],
    "seed:person:lulu": [
        _cadre_week(WEIWANG, WEIWANG_HOUSEHOLD),
        _cadre_week(WEIWANG, WEIWANG_HOUSEHOLD),
        _cadre_week(WEIWANG, WEIWANG_HOUSEHOLD, no_household=True),
        _cadre_week(WEIWANG, WEIWANG_HOUSEHOLD),
        _cadre_week(WEIWANG, WEIWANG_HOUSEHOLD),
    ],
    "seed:person:liyongjin": [_cadre_week(WEIWANG, WEIWANG_HOUSEHOLD) for _week in range(WEEKS)],
}
# Leaders without a contact point do their field day in a community.
FALLBACK_COMMUNITY = WEIWANG


def campaign_week_end(*, shift_months: int = 0, today: dt.date | None = None) -> dt.date:
    """Today, held inside the (shifted) campaign: the demo's last week is the week of this day."""
    today = today or timezone.localdate()
    starts_on = add_months(campaign_demo.STARTS_ON, shift_months)
    ends_on = add_months(campaign_demo.ENDS_ON, shift_months)
    return min(max(today, starts_on), ends_on)


def _enterprises() -> tuple[list[Unit], int]:
    """The demo's enterprises, created under the park the first time."""
    park = Unit.objects.get(ref="seed:park")
    units, created = [], 0
    for ref, name in ENTERPRISES:
        unit = Unit.objects.filter(ref=ref).first()
        if unit is None:
            unit = org_services.unit_create(actor=None, ref=ref, name=name, kind=UnitKind.ENTERPRISE, parent=park)
            created += 1
        units.append(unit)
    return units, created


@dataclass
class _Place:
    place_kind: str
    unit: Unit | None = None
    contact_point: ContactPoint | None = None
    place_detail: str = ""


def _place(
    entry: Entry, person: Person, seat: int, week: int, units: dict[str, Unit], enterprises: list[Unit]
) -> _Place:
    if entry.place == "point":
        points = list(ContactPoint.objects.filter(leader=person).order_by("id"))
        if points:
            return _Place(PlaceKind.CONTACT_POINT, contact_point=points[week % len(points)])
        return _Place(PlaceKind.COMMUNITY, unit=units[FALLBACK_COMMUNITY])
    if entry.place == "enterprise":
        return _Place(PlaceKind.ENTERPRISE, unit=enterprises[(week + seat) % len(enterprises)])
    if entry.place in units:
        unit = units[entry.place]
        kind = PlaceKind.COMPOUND if unit.kind == UnitKind.COMPOUND else PlaceKind.COMMUNITY
        return _Place(kind, unit=unit)
    return _Place(PlaceKind.HOUSEHOLD, place_detail=entry.place)


def _time(text: str) -> dt.time:
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


def load(*, shift_months: int = 0) -> dict[str, int]:
    """Create the demo's visits (and enterprises); running it again adds nothing."""
    today = timezone.localdate()
    last_day = campaign_week_end(shift_months=shift_months, today=today)
    first_day = add_months(campaign_demo.STARTS_ON, shift_months)
    last_monday = last_day - dt.timedelta(days=last_day.weekday())
    now = timezone.now()
    created = 0
    with transaction.atomic():
        enterprises, new_units = _enterprises()
        refs = [CHANGYU, WEIWANG, YANGYIZHU, CHANGYUXINCHENG, ZHENGXIN]
        units = {u.ref: u for u in Unit.objects.filter(ref__in=refs)}
        people = {p.ref: p for p in Person.objects.filter(ref__in=list(PLANS))}
        for seat, (ref, weeks) in enumerate(PLANS.items()):
            person = people.get(ref)
            if person is None:
                continue
            for index, entries in enumerate(weeks):
                monday = last_monday - dt.timedelta(weeks=WEEKS - 1 - index)
                for number, entry in enumerate(entries):
                    day = monday + dt.timedelta(days=entry.weekday)
                    if day > today or day < first_day:
                        continue
                    key = f"demo:visit:{ref}:{day.isoformat()}:{number}"
                    if Visit.objects.filter(import_key=key).exists():
                        continue
                    place = _place(entry, person, seat, index, units, enterprises)
                    entered = timezone.make_aware(dt.datetime.combine(day, _time(entry.end))) + dt.timedelta(hours=1)
                    visit_create(
                        actor=None,
                        person=person,
                        date=day,
                        kind=entry.kind,
                        place_kind=place.place_kind,
                        unit=place.unit,
                        contact_point=place.contact_point,
                        place_detail=place.place_detail,
                        start_time=_time(entry.start),
                        end_time=_time(entry.end),
                        participants=entry.participants,
                        notes=entry.notes,
                        import_key=key,
                        now=min(entered, now),
                    )
                    created += 1
    return {"visits": created, "enterprises": new_units}
