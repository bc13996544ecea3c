"""The demo: every ended month of the seed's campaign has a held, closed review with a chair, attendees,
decisions and minutes; loading it again adds nothing."""

from __future__ import annotations

import pytest

from campaigns.models import Campaign
from core.plugins import DemoOptions
from oversight import demo_reviews
from oversight.models.reviews import Decision, Review, ReviewStatus

pytestmark = pytest.mark.usefixtures("demo")


def test_each_past_month_of_the_seed_campaign_has_a_closed_review_and_a_second_load_adds_nothing() -> None:
    seed = Campaign.objects.get(ref="seed:campaign:2022")
    reviews = Review.objects.filter(campaign=seed)
    assert reviews.count() == 8  # May to December 2022, all ended
    for review in reviews:
        assert review.status == ReviewStatus.CLOSED and review.chair is not None and review.minutes
        assert review.attendees.count() >= 5 and review.decisions.count() >= 2
        assert review.prepared["month"] == f"{review.month:%Y-%m}"
    counts = (reviews.count(), Decision.objects.count())
    assert demo_reviews.load(DemoOptions()).startswith("Demo reviews: 0 held")
    assert (reviews.count(), Decision.objects.count()) == counts
