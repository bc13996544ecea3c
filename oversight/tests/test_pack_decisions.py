"""The pack carries the decisions of the last review held, each with what became of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from oversight.models.reviews import DecisionKind
from oversight.selectors.reviews import last_meeting_decisions
from oversight.services import pack as pack_services
from oversight.services.reviews import decision_add, review_close
from oversight.tests.reviews_world import JUNE, MAY, campaign, july_2031, review_in

__all__ = ["campaign", "july_2031"]

pytestmark = pytest.mark.usefixtures("july_2031")


def test_the_last_held_review_up_to_the_month_gives_its_decisions_in_order(campaign) -> None:  # type: ignore[no-untyped-def]
    earlier = review_in("held", campaign, month=MAY)
    decision_add(actor=None, review=earlier, kind=DecisionKind.OTHER, text="五月的决定（演示）")
    review_close(actor=None, review=earlier, minutes="会议纪要（演示）")
    assert last_meeting_decisions(campaign, JUNE) == [
        {"text": "五月的决定（演示）", "kind": "Other", "matter": "", "outcome": "Recorded"}
    ]
    june = review_in("held", campaign, month=JUNE)
    decision_add(actor=None, review=june, kind=DecisionKind.OTHER, text="表扬先进典型（演示）")
    decision_add(actor=None, review=june, kind=DecisionKind.CIRCULAR, text="通报逾期单位（演示）")
    assert [d["text"] for d in last_meeting_decisions(campaign, dt.date(2031, 7, 1)) or []] == [
        "表扬先进典型（演示）",
        "通报逾期单位（演示）",
    ]
    assert last_meeting_decisions(campaign, dt.date(2031, 4, 1)) is None  # before any review


def test_a_pack_made_without_decisions_given_takes_the_last_meetings(campaign) -> None:  # type: ignore[no-untyped-def]
    june = review_in("held", campaign, month=JUNE)
    decision_add(actor=None, review=june, kind=DecisionKind.OTHER, text="表扬先进典型（演示）")
    coordinator = get_user_model().objects.get(username="coordinator")
    pack = pack_services.pack_generate(actor=coordinator, month=JUNE)
    made = pack_services.pack_make(pack=pack)
    assert [d["text"] for d in made.data["decisions"]] == ["表扬先进典型（演示）"]
