"""The park's organisation as the seed (attachment 1 and 2) names it.

Where the seed lost characters of a name, the record keeps what it has and is marked incomplete;
people the seed does not name (demo accounts' persons) are labelled as demo placeholders.
"""

from __future__ import annotations

from typing import Any

from core.types import Actor
from org import services
from org.models import ContactPoint, ContactPointKind, Person, PersonCategory, TeamMembership, TeamPosition, Unit
from org.models import UnitKind as K

PARK = "中共湖北下陆长乐山工业园区委员会"

# (ref, name, short name, kind, parent ref)
UNITS: list[tuple[str, str, str, str, str | None]] = [
    ("seed:park", PARK, "长乐山工业园区党委", K.PARTY_COMMITTEE, None),
    ("seed:dept:dangzheng", "党政办", "", K.DEPARTMENT, "seed:park"),
    ("seed:dept:zhengfa", "政法办", "", K.DEPARTMENT, "seed:park"),
    ("seed:dept:jingji", "经济办", "", K.DEPARTMENT, "seed:park"),
    ("seed:dept:shishi", "社事办", "", K.DEPARTMENT, "seed:park"),
    ("seed:dept:jijian", "基建办", "", K.DEPARTMENT, "seed:park"),
    ("seed:dept:jigongwei", "纪工委", "园区纪工委", K.DEPARTMENT, "seed:park"),
    ("seed:dept:zhaoshang", "园区招商和项目建设服务中心", "招商中心", K.DEPARTMENT, "seed:park"),
    ("seed:community:changyu", "长宇社区", "", K.COMMUNITY, "seed:park"),
    ("seed:community:weiwang", "卫王社区", "", K.COMMUNITY, "seed:park"),
    ("seed:compound:yangyizhu", "杨亦主小区", "", K.COMPOUND, "seed:community:changyu"),
    ("seed:compound:changyuxincheng", "长宇新城", "", K.COMPOUND, "seed:community:changyu"),
    ("seed:compound:zhengxin", "正信花园", "", K.COMPOUND, "seed:community:weiwang"),
    ("seed:team:leading", "党史学习教育领导小组", "领导小组", K.WORK_TEAM, "seed:park"),
    ("seed:team:coordination", "综合协调专班", "", K.WORK_TEAM, "seed:team:leading"),
    ("seed:team:assessment", "指导考核专班", "", K.WORK_TEAM, "seed:team:leading"),
    ("seed:team:supervision", "作风监督专班", "", K.WORK_TEAM, "seed:team:leading"),
]

DUTIES = {
    "seed:team:leading": (
        "为扎实开展好党员干部下基层察民情解民忧暖民心实践活动，经园区党委研究同意，成立工业园区党史学习教育领导小组。"
        "领导小组下设3个工作专班，即综合协调专班、指导考核专班、作风监督专班，领导小组办公室设在党政办，"
        "承担领导小组日常事务，加强同各工作专班沟通协调，督促各工作专班按时间节点落实各议定事项。"
    ),
    "seed:team:coordination": (
        "负责办公室日常工作，对实践活动进行统筹协调，及时发出工作提示，向领导小组报告有关工作情况并提出意见建议；"
        "负责实践活动有关重大会议活动的统筹组织；负责起草领导小组和办公室领导讲话、相关会议讲话、汇报材料、会议纪要、"
        "工作总结等文稿；挖据特色亮点，总结典型经验、上报工作信息。及时反映实践活动推进动态情况等；"
        "完成领导小组办公室交办的其他工作事项。"
    ),
    "seed:team:assessment": (
        "负责动员组织党员干部积极参与实践活动，并开展督办检查；负责拟定指导考核组工作方案，督促指导组落实工作方案；"
        "负责对实践活动进行考核，将开展活动情况纳入各部门、各社区季度、年度考核重要内容，"
        "纳入各级党组织和党员干部民主生活会、组织生活会述职内容；完成领导小组办公室交办的其他工作事项。"
    ),
    "seed:team:supervision": (
        "负责拟定作风监督工作方案；统筹加强对开展实践活动的跟进监督，督促领导干部落实主体责任、监督责任；"
        "严明纪律作风，纠治对实践活动敷衍应付、弄虚作假、搞形式。走过场等形式主义、官僚主义问题；"
        "接收移交的问题线索，组织开展调查处理、追责问责；完成领导小组办公室交办的其他工作事项。"
    ),
}

LEAD, CAD, OTH = PersonCategory.LEADER, PersonCategory.CADRE, PersonCategory.OTHER
# (ref, name, incomplete, title, unit ref, category)
PEOPLE: list[tuple[str, str, bool, str, str, str]] = [
    ("seed:person:xiong", "熊", True, "园区党委书记、常务副主任", "seed:park", LEAD),
    ("seed:person:zouguozhu", "邹国柱", False, "园区党委副书记", "seed:park", LEAD),
    ("seed:person:deputy2", "", True, "园区党委委员、管委会副主任", "seed:park", LEAD),
    ("seed:person:ke", "柯", True, "园区党委委员、纪工委书记", "seed:park", LEAD),
    ("seed:person:zengzhantao", "曾湛涛", False, "园区党委委员、管委会副主任", "seed:park", LEAD),
    ("seed:person:yanglixin", "杨立新", False, "园区招商和项目建设服务中心八级职员", "seed:dept:zhaoshang", LEAD),
    ("seed:person:lvxiangyang", "吕相阳", False, "园区招商和项目建设服务中心八级职员", "seed:dept:zhaoshang", LEAD),
    ("seed:person:chen", "陈", True, "", "seed:park", CAD),
    ("seed:person:liyongjin", "李永金", False, "", "seed:park", CAD),
    ("seed:person:lulu", "陆露", False, "", "seed:park", CAD),
    ("seed:person:tu", "涂", True, "", "seed:park", CAD),
    ("seed:person:ji", "纪", True, "", "seed:park", CAD),
    ("seed:person:supervision-head", "", True, "", "seed:park", CAD),
    ("seed:person:zhanhanwen", "占汉文", False, "", "seed:park", CAD),
    # Not named in the seed: the persons behind demo accounts.
    ("demo:person:handler", "基建办工作人员（演示）", False, "办事员", "seed:dept:jijian", CAD),
    ("demo:person:cadre", "长宇社区党员干部（演示）", False, "社区干部", "seed:community:changyu", CAD),
    ("demo:person:sysadmin", "系统管理员（演示）", False, "系统管理员", "seed:dept:dangzheng", OTH),
    ("demo:person:secadmin", "安全管理员（演示）", False, "安全管理员", "seed:dept:dangzheng", OTH),
    ("demo:person:auditor", "审计管理员（演示）", False, "审计管理员", "seed:dept:dangzheng", OTH),
]

H, D, M = TeamPosition.HEAD, TeamPosition.DEPUTY, TeamPosition.MEMBER
MEMBERSHIPS: list[tuple[str, str, str]] = [
    ("seed:team:leading", "seed:person:xiong", H),
    ("seed:team:leading", "seed:person:zouguozhu", D),
    ("seed:team:leading", "seed:person:deputy2", D),
    ("seed:team:leading", "seed:person:ke", M),
    ("seed:team:leading", "seed:person:zengzhantao", M),
    ("seed:team:leading", "seed:person:yanglixin", M),
    ("seed:team:leading", "seed:person:lvxiangyang", M),
    ("seed:team:coordination", "seed:person:chen", H),
    ("seed:team:coordination", "seed:person:liyongjin", M),
    ("seed:team:coordination", "seed:person:lulu", M),
    ("seed:team:coordination", "seed:person:tu", M),
    ("seed:team:assessment", "seed:person:lvxiangyang", H),
    ("seed:team:assessment", "seed:person:ji", M),
    ("seed:team:supervision", "seed:person:supervision-head", H),
    ("seed:team:supervision", "seed:person:zhanhanwen", M),
]

# The seed asks each leader to keep contact points but does not list them; these are demo assignments.
CONTACT_POINTS: list[tuple[str, str, str | None, str]] = [
    ("seed:person:zouguozhu", ContactPointKind.COMMUNITY, "seed:community:weiwang", ""),
    ("seed:person:zouguozhu", ContactPointKind.PARTY_BUILDING, None, "长宇社区党群服务中心"),
    ("seed:person:yanglixin", ContactPointKind.COMMUNITY, "seed:community:changyu", ""),
    ("seed:person:lvxiangyang", ContactPointKind.COMMUNITY, "seed:community:changyu", ""),
]


def _upsert_unit(actor: Actor, ref: str, fields: dict[str, Any]) -> Unit:
    unit = Unit.objects.filter(ref=ref).first()
    if unit is None:
        return services.unit_create(actor=actor, ref=ref, **fields)
    services.unit_update(actor=actor, unit=unit, data=fields)
    return unit


def _upsert_person(actor: Actor, ref: str, fields: dict[str, Any]) -> Person:
    person = Person.objects.filter(ref=ref).first()
    if person is None:
        return services.person_create(actor=actor, ref=ref, **fields)
    services.person_update(actor=actor, person=person, data=fields)
    return person


def load(*, actor: Actor = None) -> dict[str, int]:
    """Create or update the seed's organisation; running it again changes nothing."""
    units: dict[str, Unit] = {}
    for order, (ref, name, short, kind, parent_ref) in enumerate(UNITS):
        fields = {
            "name": name,
            "short_name": short,
            "kind": kind,
            "parent": units[parent_ref] if parent_ref else None,
            "duties": DUTIES.get(ref, ""),
            "order": order,
        }
        units[ref] = _upsert_unit(actor, ref, fields)
    people: dict[str, Person] = {}
    for ref, name, incomplete, title, unit_ref, category in PEOPLE:
        fields = {
            "name": name,
            "name_incomplete": incomplete,
            "title": title,
            "unit": units[unit_ref],
            "category": category,
        }
        people[ref] = _upsert_person(actor, ref, fields)
    for order, (team_ref, person_ref, position) in enumerate(MEMBERSHIPS):
        team, person = units[team_ref], people[person_ref]
        if not TeamMembership.objects.filter(team=team, person=person).exists():
            services.team_member_add(actor=actor, team=team, person=person, position=position, order=order)
    for leader_ref, kind, point_unit, place in CONTACT_POINTS:
        leader = people[leader_ref]
        unit = units[point_unit] if point_unit else None
        if not ContactPoint.objects.filter(leader=leader, kind=kind, unit=unit, place=place).exists():
            services.contact_point_create(actor=actor, leader=leader, kind=kind, unit=unit, place=place)
    return {"units": len(units), "people": len(people)}


def person_by_ref(ref: str) -> Person:
    return Person.objects.get(ref=ref)

