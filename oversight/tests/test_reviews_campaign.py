"""The campaign page shows, per phase, the reviews held and whether the goal of the lists is met, from the records."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from oversight.services.publication import publication_publish
from oversight.tests.reviews_world import MAY, at, campaign, review_in

__all__ = ["campaign"]


def _phase_row(page: str, order: int) -> str:
    found = re.search(rf'<tr data-phase="{order}">(.*?)</tr>', page, re.S)
    assert found, page
    return found.group(1)


def test_a_phase_whose_every_ended_month_has_a_held_review_and_published_lists_meets_its_goal(
    campaign, client_as
) -> None:  # type: ignore[no-untyped-def]
    with at("2031-07-03"):
        review_in("closed", campaign, month=MAY)
        review_in("held", campaign, month=dt.date(2031, 6, 1))
        for month in (MAY, dt.date(2031, 6, 1)):
            publication_publish(actor=None, campaign=campaign, month=month)
        page = client_as("leader").get(f"/campaigns/{campaign.pk}/").content.decode()
    first = _phase_row(page, 1)
    assert first.count("2/2") == 2 and 'data-goal-met="yes"' in first and "定期梳理并发布三张清单" in first
    assert "0/6" in _phase_row(page, 2)


def test_a_month_reviewed_but_not_published_leaves_the_goal_unmet(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    with at("2031-07-03"):
        review_in("closed", campaign, month=MAY)
        review_in("held", campaign, month=dt.date(2031, 6, 1))
        publication_publish(actor=None, campaign=campaign, month=MAY)
        page = client_as("leader").get(f"/campaigns/{campaign.pk}/").content.decode()
    first = _phase_row(page, 1)
    assert "2/2" in first and "1/2" in first and 'data-goal-met="no"' in first


def test_a_month_without_a_held_review_leaves_the_goal_unmet(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    with at("2031-07-03"):
        review_in("closed", campaign, month=MAY)
        review_in("prepared", campaign, month=dt.date(2031, 6, 1))  # prepared, never held
        page = client_as("leader").get(f"/campaigns/{campaign.pk}/").content.decode()
    first = _phase_row(page, 1)
    assert "1/2" in first and 'data-goal-met="no"' in first


@pytest.mark.usefixtures("demo")
def test_the_seed_campaigns_page_shows_its_demo_reviews_held_and_the_goal_met_once_the_lists_are_published(
    client_as,
) -> None:  # type: ignore[no-untyped-def]
    from campaigns.models import Campaign
    from oversight.selectors.reviews import held_months

    seed = Campaign.objects.get(ref="seed:campaign:2022")  # its demo reviews are held; the demo without matters
    page = client_as("coordinator").get(f"/campaigns/{seed.pk}/").content.decode()  # publishes nothing
    assert 'data-goal-met="no"' in _phase_row(page, 2)
    with at("2023-01-15"):  # every month of the seed campaign has ended
        for month in sorted(held_months(seed)):
            publication_publish(actor=None, campaign=seed, month=month)
        page = client_as("coordinator").get(f"/campaigns/{seed.pk}/").content.decode()
    assert 'data-goal-met="yes"' in _phase_row(page, 2)
