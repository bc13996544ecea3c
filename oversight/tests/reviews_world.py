"""Shared pieces of the reviews tests: a campaign of 2031 with two phases (the seed's 2022 campaign already has
its demo reviews), a moment inside it, the coordinator, a chair, and a review brought to a state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import translation

from campaigns import services as campaign_services
from campaigns.models import Campaign
from org.models import Person, Unit
from oversight.models.reviews import Review
from oversight.services import reviews as services

JUNE = dt.date(2031, 6, 1)
MAY = dt.date(2031, 5, 1)


def at(day: str) -> Any:
    """Travel to 10:00 in Beijing on `day` (ISO date), frozen."""
    return time_machine.travel(dt.datetime.fromisoformat(day + "T02:00:00+00:00"), tick=False)


@pytest.fixture
def july_2031() -> Any:
    """Time frozen on 3 July 2031 (June has ended, the campaign runs); the services' messages in English."""
    with at("2031-07-03"), translation.override("en"):
        yield


@pytest.fixture
def campaign(demo: None) -> Campaign:
    park = Unit.objects.get(ref="seed:park")
    made = campaign_services.campaign_create(
        actor=None, name="2031年察民情实践活动（演示）", organiser=park, starts_on=dt.date(2031, 5, 1),
        ends_on=dt.date(2031, 12, 31),
    )  # fmt: skip
    campaign_services.phase_create(
        actor=None, campaign=made, order=1, name="全面开展阶段", ends_on=dt.date(2031, 6, 30),
        focus="定期梳理并发布问题清单、任务清单、效果清单",
    )  # fmt: skip
    campaign_services.phase_create(
        actor=None, campaign=made, order=2, name="巩固提升阶段", ends_on=dt.date(2031, 12, 31)
    )
    return made


@pytest.fixture
def coordinator(demo: None) -> Any:
    return get_user_model().objects.get(username="coordinator")


@pytest.fixture
def chair(demo: None) -> Person:
    return Person.objects.get(ref="seed:person:xiong")


def review_in(status: str, campaign: Campaign, *, month: dt.date = JUNE, chair: Person | None = None) -> Review:
    """A review of `month` brought to `status` (draft, prepared, held, closed) by the system actor."""
    chair = chair or Person.objects.get(ref="seed:person:xiong")
    review = services.review_create(actor=None, campaign=campaign, month=month, chair=chair, agenda="研究六月三张清单")
    if status == "draft":
        return review
    review = services.review_prepared(actor=None, review=review, data={"lists": {"problems": {"count": 2}}})
    if status == "prepared":
        return review
    review = services.review_hold(actor=None, review=review, held_on=month.replace(day=28))
    if status == "held":
        return review
    return services.review_close(actor=None, review=review, minutes="会议纪要（演示）")
