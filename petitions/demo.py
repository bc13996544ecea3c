"""Demo backlog cases (（演示）): invented petitioners with plainly fictitious names and numbers, owned by the
seed's leaders, across the focus areas; one closed by 息诉罢访 and one by 终结. Loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

from campaigns import demo as campaign_demo
from core.dates import add_months
from matters.services import matter_transition
from matters.workflow import Action
from org.models import Person, Unit
from petitions import services
from petitions.limits import review_step
from petitions.models import CloseWay, FocusArea, PetitionCase, Term

# ref, owner ref, focus, risk, unit ref, months before the campaign it was received, petitioner, summary, ending
_CASES = [
    (
        "demo:petition:1",
        "seed:person:zouguozhu",
        "wages",
        "high",
        "seed:dept:shishi",
        14,
        "张某某（演示）",
        "反映某建筑工地拖欠农民工工资三个月，多次到区信访局上访（演示）。",
        "",
    ),
    (
        "demo:petition:2",
        "seed:person:zengzhantao",
        "property",
        "medium",
        "seed:community:changyu",
        9,
        "李某某（演示）",
        "反映小区物业公司服务不到位、收费不透明（演示）。",
        "",
    ),
    (
        "demo:petition:3",
        "seed:person:yanglixin",
        "owners",
        "medium",
        "seed:community:weiwang",
        20,
        "王某某（演示）",
        "反映业主之间因加装电梯产生冲突，要求调解（演示）。",
        "accepted",
    ),
    (
        "demo:petition:4",
        "seed:person:lvxiangyang",
        "medical",
        "low",
        "seed:dept:shishi",
        30,
        "赵某某（演示）",
        "反映医疗纠纷赔偿问题，复查、复核均已办结仍重复信访（演示）。",
        "terminated",
    ),
    (
        "demo:petition:5",
        "seed:person:yanglixin",
        "allowance",
        "high",
        "seed:community:changyu",
        6,
        "钱某某（演示）",
        "反映低保发放资格被取消，要求恢复（演示）。",
        "",
    ),
]


def reference_data() -> None:
    """The focus areas and time-limit rules migrations 0002 and 0004 create; put back if the database was emptied
    since (a test flush)."""
    import importlib

    from django.apps import apps

    for migration in ("0002_focus_areas", "0004_time_limit_rules"):
        importlib.import_module(f"petitions.migrations.{migration}").add(apps, None)


def load(*, shift_months: int = 0) -> int:
    """Create the demo cases that do not exist yet; return how many were created."""
    from django.utils import timezone

    reference_data()

    start = add_months(campaign_demo.STARTS_ON, shift_months)
    # Registered in the campaign's first weeks (and three weeks before today at the latest), step by step after.
    base = min(start, timezone.localdate() - dt.timedelta(days=25))
    created = 0
    for number, (ref, owner, focus, risk, unit, months, name, summary, ending) in enumerate(_CASES, start=1):
        if PetitionCase.objects.filter(ref=ref).exists():
            continue
        received = add_months(start, -months)
        owner_person = Person.objects.get(ref=owner)
        handling = Unit.objects.get(ref=unit)
        registered = base + dt.timedelta(days=number)
        case = services.case_create(
            actor=None,
            ref=ref,
            registered_at=_at(registered, 0),
            data={
                "summary": summary,
                "focus": FocusArea.objects.get(code=focus).pk,
                "received_on": received.isoformat(),
                "first_petition_on": add_months(received, -6).isoformat(),
                "petition_count": 2 + number,
                "level": "district" if number % 2 else "city",
                "channel": "visit",
                "risk": risk,
                "owners": [owner_person.pk],
                "handling_units": [handling.pk],
                "visit_every_days": 30,
            },
            petitioners=[
                {
                    "name": name,
                    "phone": f"139-0000-00{number:02d}",
                    "id_number": f"XXXXXX19700101{number:03d}X",
                    "address": "演示地址（演示）",
                }
            ],
        )
        matter = case.matter
        matter_transition(matter=matter, action=Action.ACCEPT, actor=None, at=_at(registered, 1))
        matter_transition(
            matter=matter,
            action=Action.ASSIGN,
            actor=None,
            task=f"化解信访积案 {case.case_number}",
            deadline=add_months(start, 6),
            leads=[owner_person],
            units=[handling],
            at=_at(registered, 2),
        )
        matter_transition(matter=matter, action=Action.START, actor=None, at=_at(registered, 3))
        if ending:
            _end(case, ending, registered)
        else:
            _visits(case, owner_person, start, number)
        created += 1
    screening(start)
    return created


def _visits(case: PetitionCase, owner: Person, start: dt.date, number: int) -> None:
    """The plan runs from the campaign's start; case 2 was visited lately, the others are overdue."""
    from decimal import Decimal

    from django.utils import timezone

    from petitions.ownership import home_visit_log

    case.visits_from = start
    case.save(update_fields=["visits_from"])
    if number == 2:
        day = min(timezone.localdate(), start + dt.timedelta(days=20))
        entered = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))  # entered on the day
        home_visit_log(
            actor=None,
            case=case,
            person=owner,
            date=day,
            hours=Decimal("1.5"),
            notes="上门走访（演示）",
            now=min(entered, timezone.now()),
        )


_DISPUTES = [
    (
        "seed:community:changyu",
        "wages",
        "长宇新城工地",
        "high",
        "orange",
        9,
        "工地拖欠务工人员工资，多人聚集讨要（演示）。",
    ),
    ("seed:community:changyu", "neighbours", "杨亦主小区 2栋", "low", "blue", 12, "楼上漏水引发邻里矛盾（演示）。"),
    ("seed:community:weiwang", "property", "正信花园", "medium", "yellow", 20, "业主对物业费上涨有意见（演示）。"),
]


def screening(start: dt.date) -> None:
    """A month of screening rounds for 长宇社区 and 卫王社区 (卫王's first half a 零报告), and a few disputes."""
    from django.utils import timezone

    from petitions.disputes import dispute_create, round_period, round_record
    from petitions.models import Dispute, ScreeningRound

    today = timezone.localdate()
    for ref, focus, place, risk, colour, day, summary in _DISPUTES:
        raised = start + dt.timedelta(days=day - 1)
        community = Unit.objects.get(ref=ref)
        if raised > today or Dispute.objects.filter(community=community, place=place, summary=summary).exists():
            continue
        dispute_create(
            actor=None,
            community=community,
            kind=FocusArea.objects.get(code=focus),
            summary=summary,
            place=place,
            risk=risk,
            colour=colour,
            raised_on=raised,
            parties=[{"name": "周某某（演示）", "phone": "139-0000-0091"}],
        )
    for ref in ("seed:community:changyu", "seed:community:weiwang"):
        community = Unit.objects.get(ref=ref)
        for on in (start, start + dt.timedelta(days=16)):
            period_start, _end_day = round_period(on)
            if on > today or ScreeningRound.objects.filter(community=community, period_start=period_start).exists():
                continue
            found = Dispute.objects.filter(community=community, raised_on__gte=period_start, raised_on__lte=_end_day)
            round_record(actor=None, community=community, day=on, zero_report=not found.exists(), notes="（演示）")


def _at(day: dt.date, days: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days), dt.time(9, 0)))


def _end(case: PetitionCase, ending: str, registered: dt.date) -> None:
    """Dispose of, complete and verify a case in its first weeks (a terminated one after its review and
    re-examination), and close it."""
    from core.uploads import clean_upload

    minimal_pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = [clean_upload("evidence.pdf", minimal_pdf)]
    term = Term.SOLVED if ending == CloseWay.ACCEPTED else Term.EDUCATED
    services.disposition_add(
        actor=None,
        case=case,
        term=term,
        done="已按政策答复并做好解释工作（演示）。",
        done_on=registered + dt.timedelta(days=10),
        evidence=evidence,
    )
    effect = "信访人诉求已依法依规处理（演示）。"
    matter_transition(matter=case.matter, action=Action.COMPLETE, actor=None, effect=effect, at=_at(registered, 12))
    if ending == CloseWay.TERMINATED:
        for days, step in enumerate(("review_asked", "review_answered", "reexam_asked", "reexam_answered"), start=13):
            review_step(actor=None, case=case, step=step, on=registered + dt.timedelta(days=days))
    matter_transition(matter=case.matter, action=Action.VERIFY, actor=None, at=_at(registered, 17))
    basis = (
        "信访人签署息诉罢访承诺书（演示）。"
        if ending == CloseWay.ACCEPTED
        else "《信访工作条例》第三十五条：复核意见已作出，信访人仍以同一事实和理由提出诉求，不再受理（演示）。"
    )
    services.case_close(actor=None, case=case, way=ending, basis=basis, evidence=evidence)
