"""The demo's public voice: endorsements on open problems and ratings of finished matters, one of them poor."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from matters.models import Matter, Satisfaction
from matters.selectors import matters_public
from matters.workflow import Status
from portal.selectors import OPEN_STATUSES, RATEABLE_STATUSES
from portal.services.engage import (
    AlreadyEndorsed,
    AlreadyRated,
    endorsement_record,
    endorsement_support,
    rating_record,
)

ENDORSEMENTS = (14, 9, 6, 3, 2, 1)  # verified, for the open public matters, in code order
SUPPORT = (5, 3, 0, 4, 1, 0)  # anonymous, for the same matters
S, B, D = Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED
RATINGS = (
    (S, "路修好了，出行方便多了。"),
    (S, ""),
    (B, "整体不错，希望加强后续维护。"),
    (S, "干部上门回访，态度很好。"),
)
POOR = ((D, "只修了一半，雨天还是积水。"), (D, ""), (S, ""), (D, "希望返工处理。"))


def _phone(matter: Matter, index: int) -> str:
    return f"1390000{matter.pk % 100:02d}{index:02d}"


def _endorser(matter: Matter, index: int) -> str:
    return f"1380000{matter.pk % 100:02d}{index:02d}"


def load() -> dict[str, int]:
    """Add the demo's endorsements, anonymous support and ratings; again: nothing new (one per phone)."""
    endorsed = rated = 0
    open_matters = list(matters_public().filter(status__in=OPEN_STATUSES).order_by("code")[: len(ENDORSEMENTS)])
    for matter, count, support in zip(open_matters, ENDORSEMENTS, SUPPORT, strict=False):
        for index in range(count):
            try:
                endorsement_record(matter=matter, phone=_endorser(matter, index))
                endorsed += 1
            except AlreadyEndorsed:
                pass
        if matter.endorsements.filter(kind="anonymous").exists():
            continue  # loaded before: anonymous support has no phone to tell a second run by
        for index in range(support):  # each from another connection
            endorsement_support(matter=matter, client=f"demo:{matter.code}:{index}")
    finished = list(matters_public().filter(status__in=RATEABLE_STATUSES).order_by("code"))
    # One completed (not yet verified) matter residents are unhappy with: it shows the redo flag.
    poor = next((m for m in finished if m.status == Status.COMPLETED), None)
    now = timezone.now()
    for matter in finished:
        ratings = POOR if matter == poor else RATINGS[: 2 + matter.pk % 3]
        start = matter.completed_at or now
        for index, (value, comment) in enumerate(ratings):
            at = min(start + dt.timedelta(days=1, hours=index), now)
            try:
                rating_record(matter=matter, phone=_phone(matter, index), value=value, comment=comment, at=at)
                rated += 1
            except AlreadyRated:
                pass
    return {"endorsements": endorsed, "ratings": rated}
