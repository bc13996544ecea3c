"""The seed's 17 livelihood matters (attachment 2), imported through the list importer, and a loop's worth of states.

The 17 rows come from `demo_data/attachment2.csv` as the seed writes them. Everything else here is
demo content: the effects, progress reports and the five resident-reported matters are invented,
carry no real personal data ("居民（演示）"), and are labelled as demo in the reference keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from campaigns import demo as campaign_demo
from campaigns.models import Campaign
from core.dates import add_months
from core.types import Actor
from matters.access import user_capacities
from matters.exchange import cells
from matters.exchange.importer import PlannedRow, import_table
from matters.models import Channel, Matter, Satisfaction
from matters.services import matter_create, matter_transition
from matters.workflow import Action, Capacity, Status

SEED_TABLE = Path(__file__).resolve().parent / "demo_data" / "attachment2.csv"
SEED_REPORTED_ON = dt.date(2022, 5, 25)  # the mobilisation phase (late May) drew up the list
DEMO_REPORTER = "居民（演示）"

S = Satisfaction
# seed number → (effect, satisfaction): due 2022.6, closed after a public rating.
CLOSED: dict[str, tuple[str, str]] = {
    "1": ("园区综治中心、企业服务中心在原庙宇垴社区办公楼建成投用，企业办事就近可办。", S.SATISFIED),
    "2": ("长宇社区、卫王社区各小区湾组已安装充电桩80个，居民就近充电，电动车停放有序。", S.SATISFIED),
    "3": ("赵罗路拓宽新建完工通车，路面平整，居民出行更加方便。", S.BASICALLY),
}
# due 2022.7: two verified, one completed and waiting for verification.
VERIFIED = {
    "4": "中冶路围墙建成，路边出行隐患消除。",
    "9": "杨亦主小区健身跑道建成开放，居民晨练夜跑有了去处。",
}
COMPLETED = {"5": "已与城维公司商定，产业园内企业生活垃圾每日定时外运，园区环境整洁。"}
# seed number → (percent, progress report); the rest (13, 14, 16, 17) stay assigned.
IN_PROGRESS: dict[str, tuple[int, str]] = {
    "8": (80, "长宇社区、卫王社区大部分小区太阳能路灯已检修，剩余湾组路灯配件已到货。"),
    "10": (60, "广场周边绿化苗木已采购，约六成完成种植。"),
    "6": (50, "升级改造方案已确定，服务中心内部改造施工中。"),
    "11": (40, "停车场选址完成，水泥地坪和路面硬化施工中。"),
    "12": (30, "已排查辖区破损道路，首批路段修复刷黑完成。"),
    "7": (20, "重点企业外围探头摸排完成，接入方案报政法委审核。"),
    "15": (20, "已与意向客商洽谈，充电站选址初步确定。"),
}

# Resident-reported matters beyond the seed: (key, channel, problem, location, reported on, outcome, reason).
EXTRAS: list[tuple[str, str, str, str, dt.date, str, str]] = [
    (
        "demo:matter:extra:1",
        Channel.PORTAL,
        "长宇新城3栋楼道灯不亮，夜间上下楼不便。",
        "长宇新城",
        dt.date(2022, 6, 13),
        Status.REPORTED,
        "",
    ),
    (
        "demo:matter:extra:2",
        Channel.HOTLINE,
        "卫王社区菜市场周边早晚占道经营，车辆通行困难。",
        "卫王社区",
        dt.date(2022, 6, 20),
        Status.REPORTED,
        "",
    ),
    (
        "demo:matter:extra:3",
        Channel.VISIT,
        "正信花园小区雨水井盖松动，存在安全隐患。",
        "正信花园",
        dt.date(2022, 6, 8),
        Status.ACCEPTED,
        "",
    ),
    (
        "demo:matter:extra:4",
        Channel.PORTAL,
        "希望园区代为办理个人房产过户手续。",
        "",
        dt.date(2022, 6, 15),
        Status.DECLINED,
        "房产过户由不动产登记部门办理，已告知办理地点和所需材料。",
    ),
    (
        "demo:matter:extra:5",
        Channel.HOTLINE,
        "赵罗路路面破损，雨天积水，出行不便。",
        "赵罗路",
        dt.date(2022, 6, 2),
        Status.MERGED,
        "",
    ),
]
MERGE_TARGET = "3"  # the duplicate above is the seed's matter 3 (赵罗路)


def seed_table(shift_months: int = 0) -> bytes:
    """The seed's attachment 2 as CSV bytes, its deadlines moved by whole months."""
    text = SEED_TABLE.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    column = rows[0].index(cells.DEADLINE)
    for row in rows[1:]:
        if row and shift_months:
            deadline, precision = cells.parse_deadline(row[column])
            row[column] = cells.format_deadline(add_months(deadline, shift_months), precision)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def matter_reschedule(*, matter: Matter, deadline: dt.date, actor: Actor) -> Matter:
    """Move a matter's deadline (the demo's shift in time), keeping its precision; audited."""
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if locked.deadline == deadline:
            return locked
        before = locked.deadline
        locked.deadline = deadline
        locked.full_clean()
        locked.save(update_fields=["deadline", "updated_at"])
        audit_record(
            actor=actor,
            action="matters.reschedule",
            target=locked,
            before={"deadline": before.isoformat() if before else None},
            after={"deadline": deadline.isoformat()},
        )
    return locked


def _moment(day: dt.date, shift_months: int, minutes: int = 0) -> dt.datetime:
    moved = add_months(day, shift_months)
    naive = dt.datetime.combine(moved, dt.time(9, 0)) + dt.timedelta(minutes=minutes)
    return timezone.make_aware(naive)


def _demo_users() -> dict[str, Any]:
    users = get_user_model().objects.filter(username__in=["coordinator", "leader", "handler", "cadre"])
    return {u.get_username(): u for u in users.select_related("person", "person__unit")}


def _handler(users: dict[str, Any], matter: Matter) -> Any:
    """A demo handler of one of the matter's units; the system where no demo account is one."""
    for name in ("handler", "cadre"):
        user = users.get(name)
        if user is not None and Capacity.HANDLER in user_capacities(user, matter):
            return user
    return None


def _checker(users: dict[str, Any], matter: Matter) -> Any:
    """The demo leader if they lead the matter, else the coordinator (both may verify and close)."""
    leader = users.get("leader")
    if leader is not None and Capacity.LEAD in user_capacities(leader, matter):
        return leader
    return users.get("coordinator")


def _steps(matter: Matter, count: int, *, finish: bool) -> list[dt.datetime]:
    """Plausible times for the next `count` steps: after the assignment, before now, and — for work that
    was finished — a few days before the deadline, so the demo's on-time figures mean something."""
    now = timezone.now() - dt.timedelta(hours=1)
    start = matter.reported_at + dt.timedelta(days=2)
    end = now
    due = matter.due_on
    if finish and due is not None:
        end = min(now, timezone.make_aware(dt.datetime.combine(due - dt.timedelta(days=3), dt.time(16, 0))))
    if end <= start:
        end = min(now, start + dt.timedelta(hours=count))
        start = min(start, end - dt.timedelta(minutes=count))
    gap = (end - start) / count
    return [start + gap * (i + 1) for i in range(count)]


def _work(
    users: dict[str, Any], matter: Matter, *, percent: int, text: str, times: list[dt.datetime] | None = None
) -> Matter:
    handler = _handler(users, matter)
    start, report = times[:2] if times else _steps(matter, 2, finish=False)
    matter_transition(matter=matter, action=Action.START, actor=handler, at=start)
    return matter_transition(
        matter=matter, action=Action.PROGRESS, actor=handler, text=text, percent=percent, at=report
    )


def _finish(users: dict[str, Any], matter: Matter, effect: str, *, verify: bool, satisfaction: str = "") -> None:
    times = [
        *_steps(matter, 3, finish=True),
        timezone.now() - dt.timedelta(minutes=30),
        timezone.now() - dt.timedelta(minutes=20),
    ]
    _work(users, matter, percent=60, text="主体工程完成，正在收尾。", times=times)
    matter_transition(matter=matter, action=Action.COMPLETE, actor=_handler(users, matter), effect=effect, at=times[2])
    # Verification and the callback follow within days of completion (never in the future).
    verified_at = min(times[2] + dt.timedelta(days=2), times[3])
    if verify:
        matter_transition(matter=matter, action=Action.VERIFY, actor=_checker(users, matter), at=verified_at)
    if satisfaction:
        closed_at = min(verified_at + dt.timedelta(days=3), times[4])
        matter_transition(
            matter=matter, action=Action.CLOSE, actor=_checker(users, matter), satisfaction=satisfaction, at=closed_at
        )


def _spread(users: dict[str, Any], matters: dict[str, Matter]) -> None:
    """Move the newly imported seed matters along the loop, as the demo users would have."""
    for number, (effect, satisfaction) in CLOSED.items():
        if number in matters:
            _finish(users, matters[number], effect, verify=True, satisfaction=satisfaction)
    for number, effect in VERIFIED.items():
        if number in matters:
            _finish(users, matters[number], effect, verify=True)
    for number, effect in COMPLETED.items():
        if number in matters:
            _finish(users, matters[number], effect, verify=False)
    for number, (percent, text) in IN_PROGRESS.items():
        if number in matters:
            _work(users, matters[number], percent=percent, text=text)


def _extras(users: dict[str, Any], campaign: Campaign, shift_months: int, merge_into: Matter | None) -> int:
    coordinator = users.get("coordinator")
    created_count = 0
    for key, channel, problem, location, reported_on, outcome, reason in EXTRAS:
        matter, created = matter_create(
            actor=None,
            problem=problem,
            channel=channel,
            location=location,
            reporter_name=DEMO_REPORTER,
            campaign=campaign,
            idempotency_key=key,
            reported_at=_moment(reported_on, shift_months),
        )
        if not created:
            continue
        created_count += 1
        # Answered within hours, as the response-rate figure expects (never in the future).
        answered = min(matter.reported_at + dt.timedelta(hours=3), timezone.now() - dt.timedelta(minutes=5))
        answered = max(answered, matter.reported_at)
        if outcome == Status.ACCEPTED:
            matter_transition(matter=matter, action=Action.ACCEPT, actor=coordinator, at=answered)
        elif outcome == Status.DECLINED:
            matter_transition(matter=matter, action=Action.DECLINE, actor=coordinator, reason=reason, at=answered)
        elif outcome == Status.MERGED and merge_into is not None:
            matter_transition(matter=matter, action=Action.MERGE, actor=coordinator, into=merge_into, at=answered)
    return created_count


def load(*, actor: Actor = None, shift_months: int = 0) -> dict[str, int]:
    """Import the seed's 17 matters and spread them over the loop; again: nothing new, deadlines moved if shifted."""
    campaign = Campaign.objects.get(ref=campaign_demo.REF)

    def reported_at(row: PlannedRow) -> dt.datetime:
        return _moment(SEED_REPORTED_ON, shift_months, minutes=row.number)

    with transaction.atomic():
        report = import_table(
            name=SEED_TABLE.name,
            data=seed_table(shift_months),
            actor=actor,
            campaign=campaign,
            reported_at=reported_at,
        )
        if not report.ok:
            raise RuntimeError("; ".join(str(e) for e in report.errors))
        rescheduled = 0
        seed_matters: dict[str, Matter] = {}
        for row in report.rows:
            matter = row.matter or row.existing
            if matter is None:
                continue
            seed_matters[row.serial] = matter
            if row.existing is not None and row.deadline is not None and row.existing.deadline != row.deadline:
                matter_reschedule(matter=row.existing, deadline=row.deadline, actor=actor)
                rescheduled += 1
        users = _demo_users()
        new = {row.serial: row.matter for row in report.rows if row.matter is not None}
        _spread(users, new)
        extras = _extras(users, campaign, shift_months, seed_matters.get(MERGE_TARGET))
    return {"imported": len(new), "rescheduled": rescheduled, "extras": extras}


def reference_categories() -> None:
    """The categories migration 0002 creates; put back if the database was emptied since (a test flush)."""
    import importlib

    from django.apps import apps

    importlib.import_module("matters.migrations.0002_categories").create(apps, None)
