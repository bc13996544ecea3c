"""The closed loop as a table: states, actions, where each action may start and who may take it.

reported ─accept─► accepted ─assign─► assigned ─start─► in_progress ─complete─► completed ─verify─► verified ─close─► closed
   ├─decline                                                ▲                      │
   └─merge                                                  └──── return ◄─────────┘ (also from verified or closed: redo)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged")


class Action(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    MERGE = "merge", _("Merge into another matter")
    ASSIGN = "assign", _("Assign")
    START = "start", _("Start work")
    PROGRESS = "progress", _("Report progress")
    COMPLETE = "complete", _("Complete")
    VERIFY = "verify", _("Verify")
    RETURN = "return", _("Return for redo")
    CLOSE = "close", _("Close")


class Capacity(models.TextChoices):
    """Who may take an action on a given matter (checked against the matter, not only the role)."""

    COORDINATOR = "coordinator", _("the coordination team")
    HANDLER = "handler", _("a handler of a responsible unit")
    LEAD = "lead", _("a lead of the matter")


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    target: Status
    actors: frozenset[Capacity]
    needs_reason: bool = False


S, A = Status, Action
OPEN_FOR_TRIAGE = frozenset({S.REPORTED, S.ACCEPTED})
TRANSITIONS: dict[Action, Rule] = {
    A.ACCEPT: Rule(frozenset({S.REPORTED}), S.ACCEPTED, frozenset({Capacity.COORDINATOR})),
    A.DECLINE: Rule(OPEN_FOR_TRIAGE, S.DECLINED, frozenset({Capacity.COORDINATOR}), needs_reason=True),
    A.MERGE: Rule(OPEN_FOR_TRIAGE, S.MERGED, frozenset({Capacity.COORDINATOR})),
    A.ASSIGN: Rule(frozenset({S.ACCEPTED, S.ASSIGNED}), S.ASSIGNED, frozenset({Capacity.COORDINATOR})),
    A.START: Rule(frozenset({S.ASSIGNED}), S.IN_PROGRESS, frozenset({Capacity.HANDLER})),
    A.PROGRESS: Rule(frozenset({S.IN_PROGRESS}), S.IN_PROGRESS, frozenset({Capacity.HANDLER})),
    A.COMPLETE: Rule(frozenset({S.IN_PROGRESS}), S.COMPLETED, frozenset({Capacity.HANDLER})),
    A.VERIFY: Rule(frozenset({S.COMPLETED}), S.VERIFIED, frozenset({Capacity.LEAD, Capacity.COORDINATOR})),
    A.RETURN: Rule(
        frozenset({S.COMPLETED, S.VERIFIED, S.CLOSED}),
        S.IN_PROGRESS,
        frozenset({Capacity.LEAD, Capacity.COORDINATOR}),
        needs_reason=True,
    ),
    A.CLOSE: Rule(frozenset({S.VERIFIED}), S.CLOSED, frozenset({Capacity.LEAD, Capacity.COORDINATOR})),
}

# The status groups every face uses. OPEN: still being worked on, as the public sees it (a report not yet
# answered included): it can be endorsed, and it is "open" in Open311. UNFINISHED: accepted and not yet done, so a
# passed deadline makes it overdue. FINISHED: the work is done. ENDED: nothing more will happen.
OPEN = frozenset({S.REPORTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS})
UNFINISHED = frozenset({S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS})
FINISHED = frozenset({S.COMPLETED, S.VERIFIED, S.CLOSED})
ENDED = frozenset({S.CLOSED, S.DECLINED, S.MERGED})


def actions_from(status: Status | str) -> list[Action]:
    return [action for action, rule in TRANSITIONS.items() if status in rule.sources]
