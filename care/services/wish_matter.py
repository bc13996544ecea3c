"""A wish's matter follows the wish, so that micro-wishes count in the lists and the rates like every matter.

Taken: accepted and assigned to the household's community (deadline: the date wanted by, else 30 days on).
Claimed: in progress. Fulfilled (the household confirmed receipt): completed, verified and closed. The steps are
the system's (actor None), inside the wish service's transaction: the wish's own rules decide who may act.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import Wish
from matters.models import Matter
from matters.services import matter_transition
from matters.workflow import Action, Status

DEFAULT_DAYS = 30


def wish_matter_taken(wish: Wish) -> None:
    matter = wish.matter
    deadline = wish.wanted_by or timezone.localdate() + dt.timedelta(days=DEFAULT_DAYS)
    matter_transition(matter=matter, action=Action.ACCEPT, actor=None)
    matter_transition(
        matter=matter,
        action=Action.ASSIGN,
        actor=None,
        task=matter.problem,
        deadline=deadline,
        leads=[],
        units=[wish.community],
    )


def wish_matter_claimed(wish: Wish) -> None:
    if Matter.objects.filter(pk=wish.matter_id, status=Status.ASSIGNED).exists():
        matter_transition(matter=wish.matter_id, action=Action.START, actor=None)


def wish_matter_fulfilled(wish: Wish) -> None:
    if not Matter.objects.filter(pk=wish.matter_id, status=Status.IN_PROGRESS).exists():
        return
    effect = _("Micro-wish fulfilled: the household confirmed receipt.")
    matter_transition(matter=wish.matter_id, action=Action.COMPLETE, actor=None, effect=effect)
    matter_transition(matter=wish.matter_id, action=Action.VERIFY, actor=None)
    matter_transition(matter=wish.matter_id, action=Action.CLOSE, actor=None)
