"""Build matters in a given state through the services, as the loop would."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import time_machine
from django.utils import timezone

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


# The seed's deadline: tests living in the 2022 campaign (time frozen there) see it as it was.
SEED_DEADLINE = dt.date(2022, 7, 31)


def while_it_could_be_set(deadline: dt.date) -> AbstractContextManager[Any]:
    """Travel back to a week before `deadline` if it has passed (a deadline already past cannot be set): a matter
    assigned then and overdue now. Nothing happens for a deadline still ahead."""
    if deadline >= timezone.localdate():
        return nullcontext()
    moment = dt.datetime.combine(deadline - dt.timedelta(days=7), dt.time(9, 0))
    return time_machine.travel(timezone.make_aware(moment), tick=False)


def assign_fields(deadline: dt.date | None = None) -> dict:
    """An assignment to 基建办 led by 杨立新; its deadline the seed's, or today once that has passed (a deadline
    already past is refused)."""
    return {
        "task": "对赵罗路实施拓宽新建",
        "deadline": deadline or max(SEED_DEADLINE, timezone.localdate()),
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
