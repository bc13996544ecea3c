"""Build matters in a given state through the services, as the loop would."""

from __future__ import annotations

import datetime as dt

from matters.models import Matter
from matters.services import matter_create, matter_transition
from matters.workflow import Status
from org.models import Person, Unit

# The path through the loop to reach each status, with the fields each step needs.
PATH: list[tuple[str, dict]] = [
    ("accept", {}),
    ("assign", {}),
    ("start", {}),
    ("complete", {"effect": "已完成整治"}),
    ("verify", {}),
    ("close", {"satisfaction": "satisfied"}),
]
REACHED_BY = {
    Status.REPORTED: 0,
    Status.ACCEPTED: 1,
    Status.ASSIGNED: 2,
    Status.IN_PROGRESS: 3,
    Status.COMPLETED: 4,
    Status.VERIFIED: 5,
    Status.CLOSED: 6,
}


def assign_fields(deadline: dt.date = dt.date(2022, 7, 31)) -> dict:
    return {
        "task": "对赵罗路实施拓宽新建",
        "deadline": deadline,
        "leads": [Person.objects.get(name="杨立新")],
        "units": [Unit.objects.get(name="基建办")],
    }


def matter_in(status: str, *, problem: str = "居民反映赵罗路道路较窄，且有破损。", **create: object) -> Matter:
    """A matter of the 基建办, led by 杨立新, brought to `status` by the system actor."""
    matter, _created = matter_create(actor=None, problem=problem, channel="hotline", **create)  # type: ignore[arg-type]
    if status == Status.DECLINED:
        return matter_transition(matter=matter, action="decline", actor=None, reason="不属于受理范围")
    if status == Status.MERGED:
        target, _c = matter_create(actor=None, problem="另一件相同问题", channel="hotline")
        target = matter_transition(matter=target, action="accept", actor=None)  # the one kept is read and public
        return matter_transition(matter=matter, action="merge", actor=None, into=target)
    for action, fields in PATH[: REACHED_BY[Status(status)]]:
        if action == "assign":
            fields = assign_fields()
        matter = matter_transition(matter=matter, action=action, actor=None, **fields)
    return matter
