"""What must never happen is refused by the database itself, whatever writes the row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight.models.reviews import Decision, Review
from oversight.tests.reviews_world import JUNE, campaign, july_2031, review_in

__all__ = ["campaign", "july_2031"]
pytestmark = pytest.mark.usefixtures("july_2031")


def _row(campaign, **fields) -> Review:  # type: ignore[no-untyped-def]
    now = timezone.now()
    values = {"campaign": campaign, "month": JUNE, "created_at": now, "updated_at": now, **fields}
    return Review.objects.create(**values)


def _refused(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_two_live_reviews_of_one_month_cannot_exist_but_a_cancelled_one_may_stay(campaign) -> None:
    _row(campaign)
    _refused(lambda: _row(campaign))
    _row(campaign, status="cancelled")


def test_a_held_review_needs_its_chair_and_date(campaign) -> None:
    _refused(lambda: _row(campaign, status="held", prepared_at=timezone.now(), held_on=dt.date(2031, 7, 1)))


def test_a_prepared_review_needs_its_preparation_time(campaign) -> None:
    _refused(lambda: _row(campaign, status="prepared"))


def test_a_closed_review_needs_its_minutes(campaign) -> None:
    review = review_in("held", campaign)
    _refused(lambda: Review.objects.filter(pk=review.pk).update(status="closed", minutes="", closed_at=timezone.now()))


def test_a_decision_acting_on_a_matter_must_name_it(campaign) -> None:
    review = review_in("held", campaign)
    make = {"review": review, "order": 1, "text": "交办", "created_at": timezone.now()}
    _refused(lambda: Decision.objects.create(kind="assign", **make))
    Decision.objects.create(kind="circular", **make)
    _refused(lambda: Decision.objects.create(kind="other", **make))  # the same order twice
