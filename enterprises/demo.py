"""The enterprise line's demo: a dozen enterprises (all marked （演示）), the park's industries and tags, invented
policies in the spirit of 《黄石惠企政策选编》(2022年版) (titles and numbers invented, never real documents), and,
with the records of work, deliveries and demands (the seed's matter 5 becomes an enterprise demand).

Credit codes are plainly fictitious: 91420200 0000 0 and a serial, with a correct check character. Contact
people are （演示） with 139-0000-0xxx numbers. Loading again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.dates import add_months
from core.plugins import DemoOptions
from enterprises import services
from enterprises.credit_code import check_character
from enterprises.models import Delivery, Demand, EnterpriseProfile, Industry, Policy, Tag
from fieldwork.demo import campaign_week_end
from matters.models import Matter
from org import services as org_services
from org.models import Person, Unit, UnitKind

INDUSTRIES = [
    ("copper", "铜产业"), ("solid_waste", "大宗固废综合利用"), ("circular", "循环经济"),
    ("equipment", "装备制造"), ("materials", "新材料"), ("trade", "商贸服务"),
]  # fmt: skip
TAGS = [("high_tech", "高新技术企业"), ("specialised", "专精特新"), ("above_scale", "规上工业")]
COPPER, WASTE, CIRCULAR = "承接铜产业转移示范区", "大宗固废综合利用基地", "循环经济产业园"
LEADERS = ["seed:person:yanglixin", "seed:person:zengzhantao", "seed:person:zouguozhu", "seed:person:lvxiangyang"]

# ref, name, industry, size, employees, capital (10,000 yuan), stage, tags, where
ENTERPRISES: list[tuple[str, str, str, str, int, int, str, list[str], str]] = [
    ("demo:enterprise:xincailiao", "长乐山新材料有限公司（演示）", "materials", "medium", 180, 5000, "producing", ["high_tech", "specialised"], COPPER),
    ("demo:enterprise:jidian", "长乐山机电设备有限公司（演示）", "equipment", "small", 85, 2000, "producing", ["above_scale"], COPPER),
    ("demo:enterprise:huanbao", "长乐山循环经济环保科技有限公司（演示）", "circular", "small", 60, 1500, "producing", ["high_tech"], CIRCULAR),
    ("demo:enterprise:tongye", "长乐山铜业加工有限公司（演示）", "copper", "large", 620, 30000, "producing", ["above_scale", "high_tech"], COPPER),
    ("demo:enterprise:tongcai", "长乐山精密铜材有限公司（演示）", "copper", "medium", 240, 8000, "building", ["specialised"], COPPER),
    ("demo:enterprise:tongxian", "长乐山铜线缆有限公司（演示）", "copper", "small", 45, 1000, "signed", [], COPPER),
    ("demo:enterprise:gufei", "长乐山固废资源综合利用有限公司（演示）", "solid_waste", "medium", 150, 6000, "producing", ["above_scale"], WASTE),
    ("demo:enterprise:jiancai", "长乐山新型建材有限公司（演示）", "solid_waste", "small", 70, 1200, "building", [], WASTE),
    ("demo:enterprise:zaisheng", "长乐山再生资源回收有限公司（演示）", "circular", "micro", 12, 100, "producing", [], CIRCULAR),
    ("demo:enterprise:zhuangbei", "长乐山智能装备制造有限公司（演示）", "equipment", "medium", 210, 7000, "producing", ["high_tech", "specialised"], COPPER),
    ("demo:enterprise:wuliu", "长乐山商贸物流有限公司（演示）", "trade", "small", 38, 500, "producing", [], CIRCULAR),
    ("demo:enterprise:gaofenzi", "长乐山高分子材料有限公司（演示）", "materials", "small", 55, 1800, "signed", ["high_tech"], WASTE),
]  # fmt: skip

ISSUER = "长乐山工业园区管委会（演示）"
# ref, title, doc number, benefit kind, amount, conditions, 免申即享 (all three complete), valid to (None: open)
POLICIES: list[tuple[str, str, str, str, str | None, list[dict[str, Any]], bool, dt.date | None]] = [
    ("demo:policy:copper-chain", "铜产业链延链补链奖励办法（演示）", "长园发〔2022〕演示1号", "award", "50",
     [{"field": "industry", "op": "in", "value": ["copper"]}, {"field": "stage", "op": "in", "value": ["producing"]},
      {"field": "employees", "op": "gte", "value": 100}], True, None),
    ("demo:policy:high-tech", "高新技术企业认定奖励（演示）", "长园发〔2022〕演示2号", "award", "20",
     [{"field": "tags", "op": "has", "value": "high_tech"}], True, None),
    ("demo:policy:specialised", "专精特新中小企业培育扶持办法（演示）", "长园发〔2022〕演示3号", "subsidy", "30",
     [{"field": "tags", "op": "has", "value": "specialised"}, {"field": "size", "op": "in", "value": ["medium", "small"]}],
     False, None),
    ("demo:policy:solid-waste", "大宗固废综合利用税收优惠指引（演示）", "长园发〔2022〕演示4号", "tax_relief", None,
     [{"field": "industry", "op": "in", "value": ["solid_waste", "circular"]}], False, None),
    ("demo:policy:jobs", "规上工业企业稳岗就业补贴（演示）", "长园发〔2022〕演示5号", "subsidy", "10",
     [{"field": "tags", "op": "has", "value": "above_scale"}, {"field": "employees", "op": "gte", "value": 50}], False, None),
    ("demo:policy:loan", "在建项目贷款贴息办法（演示）", "长园发〔2022〕演示6号", "loan_interest", "15",
     [{"field": "stage", "op": "in", "value": ["building", "signed"]}], False, None),
    ("demo:policy:guarantee", "小微企业融资担保费补贴（演示，已到期）", "长园发〔2021〕演示9号", "subsidy", "5",
     [{"field": "size", "op": "in", "value": ["small", "micro"]}], False, dt.date(2022, 3, 31)),
]  # fmt: skip
SEED_MATTER_5 = "循环经济产业园内企业垃圾外运不方便。"


def credit_code(serial: int) -> str:
    first17 = f"914202000000{serial:05d}"
    return first17 + check_character(first17)


def _reference() -> None:
    for order, (code, name) in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for code, name in TAGS:
        Tag.objects.get_or_create(code=code, defaults={"name": name})


def _profiles() -> tuple[dict[str, EnterpriseProfile], int]:
    park = Unit.objects.get(ref="seed:park")
    leaders = list(Person.objects.filter(ref__in=LEADERS))
    by_ref = {p.ref: p for p in leaders}
    found, created = {}, 0
    for serial, (ref, name, industry, size, employees, capital, stage, tags, where) in enumerate(ENTERPRISES, 1):
        unit = Unit.objects.filter(ref=ref).first()
        if unit is None:
            unit = org_services.unit_create(actor=None, ref=ref, name=name, kind=UnitKind.ENTERPRISE, parent=park)
        profile = EnterpriseProfile.objects.filter(unit=unit).first()
        if profile is None:
            leader = by_ref.get(LEADERS[(serial - 1) % len(LEADERS)])
            profile = services.profile_create(
                actor=None, unit=unit, credit_code=credit_code(serial), industry=Industry.objects.get(code=industry),
                size=size, employees=employees, registered_capital=Decimal(capital), stage=stage,
                address=f"长乐山工业园区{where}（演示地址）", contact_leader=leader, fewer_visits=serial == 9,
                tags=list(Tag.objects.filter(code__in=tags)),
            )  # fmt: skip
            services.contact_add(
                actor=None, profile=profile, name=f"企业联系人{serial}（演示）", position="办公室主任",
                phone=f"13900000{serial:03d}",
            )  # fmt: skip
            created += 1
        found[ref] = profile
    return found, created


def _policies(shift_months: int) -> tuple[dict[str, Policy], int]:
    found, created = {}, 0
    for ref, title, number, kind, amount, conditions, complete, valid_to in POLICIES:
        policy = Policy.objects.filter(ref=ref).first()
        if policy is None:
            policy = services.policy_create(
                actor=None, ref=ref, title=title, issuer=ISSUER, doc_number=number, year=2022,
                summary="演示用的虚构政策，仅用于展示政策匹配与直达，不是真实文件。",
                valid_from=add_months(dt.date(2021, 1, 1), shift_months),
                valid_to=add_months(valid_to, shift_months) if valid_to else None,
                benefit_kind=kind, benefit_amount=Decimal(amount) if amount else None, conditions=conditions,
                route="向园区招商和项目建设服务中心提交申请（演示）。", scope_complete=complete,
                standard_complete=complete, data_complete=complete,
            )  # fmt: skip
            created += 1
        found[ref] = policy
    return found, created


def _work(profiles: dict[str, EnterpriseProfile], policies: dict[str, Policy], shift_months: int) -> dict[str, int]:
    # Inside the (shifted) campaign and before today, like every record of the demo's work (July: after the seed's
    # matters of May and June, whose lists the matters app counts).
    day = min(
        add_months(dt.date(2022, 7, 5), shift_months),
        campaign_week_end(shift_months=shift_months) - dt.timedelta(days=1),
    )
    reported_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    people = {p.ref: p for p in Person.objects.filter(ref__in=LEADERS)}
    plan = [
        ("demo:policy:copper-chain", "demo:enterprise:tongye", "seed:person:zengzhantao", "visit", "granted", ""),
        ("demo:policy:high-tech", "demo:enterprise:xincailiao", "seed:person:yanglixin", "visit", "informed", ""),
        ("demo:policy:jobs", "demo:enterprise:jidian", "seed:person:zengzhantao", "phone", "applied", ""),
        ("demo:policy:loan", "demo:enterprise:tongxian", "seed:person:lvxiangyang", "meeting", "not_applicable",
         "项目尚未取得施工许可（演示）"),
    ]  # fmt: skip
    deliveries = 0
    for policy_ref, enterprise_ref, person_ref, way, outcome, reason in plan:
        policy, enterprise = policies[policy_ref], profiles[enterprise_ref]
        if Delivery.objects.filter(policy=policy, enterprise=enterprise).exists() or person_ref not in people:
            continue
        services.delivery_create(
            actor=None, policy=policy, enterprise=enterprise, person=people[person_ref], delivered_on=day, way=way,
            outcome=outcome, reason=reason,
        )  # fmt: skip
        deliveries += 1
    demands = 0
    seed = Matter.objects.filter(problem=SEED_MATTER_5).first()
    if seed is not None and not Demand.objects.filter(matter=seed).exists():
        services.demand_attach(
            actor=None, matter=seed, enterprise=profiles["demo:enterprise:huanbao"], demand_type="environment"
        )
        demands += 1
    for key, enterprise_ref, problem, kind, amount, confidential in [
        ("demo:demand:tongcai", "demo:enterprise:tongcai", "新厂区投产前需招聘技术工人约80名（演示）。", "labour", None, False),
        ("demo:demand:jiancai", "demo:enterprise:jiancai", "二期生产线建设资金缺口，希望对接银行贷款（演示）。", "financing", "800", True),
    ]:  # fmt: skip
        if Matter.objects.filter(import_key=key).exists():
            continue
        services.demand_create(
            actor=None, import_key=key, problem=problem, enterprise=profiles[enterprise_ref], demand_type=kind,
            amount=Decimal(amount) if amount else None, confidential=confidential, reported_at=reported_at,
        )  # fmt: skip
        demands += 1
    return {"deliveries": deliveries, "demands": demands}


def load(options: DemoOptions) -> dict[str, int]:
    with transaction.atomic():
        _reference()
        profiles, new_profiles = _profiles()
        policies, new_policies = _policies(options.shift_months)
        counts = {"enterprises": new_profiles, "policies": new_policies}
        if options.full:
            counts |= _work(profiles, policies, options.shift_months)
    return counts
