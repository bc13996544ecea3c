"""/api/v1/reviews/: the review readers list and read; the coordination team creates and closes; others are refused
and nothing is written."""

from __future__ import annotations

import pytest

from oversight.models.reviews import Review, ReviewStatus
from oversight.tests.reviews_world import campaign, july_2031, review_in

__all__ = ["campaign", "july_2031"]
pytestmark = pytest.mark.usefixtures("july_2031")
URL = "/api/v1/reviews/"


def test_the_coordinator_creates_a_review_and_a_second_of_the_month_is_a_400(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("coordinator")
    body = {"campaign": campaign.pk, "month": "2031-06", "agenda": "研究六月情况"}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["month"] == "2031-06" and response.json()["status"] == "draft"
    again = client.post(URL, body, content_type="application/json")
    assert again.status_code == 400 and "month" in again.json()
    assert Review.objects.filter(campaign=campaign).count() == 1


def test_bad_input_is_a_400_on_its_field(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("coordinator")
    for body, field in [
        ({"campaign": campaign.pk, "month": "June"}, "month"),
        ({"campaign": 10**12, "month": "2031-06"}, "campaign"),
    ]:
        response = client.post(URL, body, content_type="application/json")
        assert response.status_code == 400 and field in response.json()
    assert not Review.objects.filter(campaign=campaign).exists()


def test_the_coordinator_closes_a_held_review_with_its_minutes(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("held", campaign)
    response = client_as("coordinator").post(
        f"{URL}{review.pk}/close/", {"minutes": "会议纪要"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Review.objects.get(pk=review.pk).minutes == "会议纪要"


def test_closing_a_review_not_held_is_a_409_and_changes_nothing(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("prepared", campaign)
    response = client_as("coordinator").post(
        f"{URL}{review.pk}/close/", {"minutes": "纪要"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PREPARED


def test_a_leader_reads_but_may_not_create_or_close_and_a_cadre_may_not_read(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("held", campaign)
    leader = client_as("leader")
    listed = leader.get(URL).json()
    assert any(row["id"] == review.pk for row in listed["results"])
    assert leader.get(f"{URL}{review.pk}/").json()["chair_name"]
    body = {"campaign": campaign.pk, "month": "2031-07"}
    assert leader.post(URL, body, content_type="application/json").status_code == 403
    assert leader.post(f"{URL}{review.pk}/close/", {"minutes": "x"}, content_type="application/json").status_code == 403
    assert client_as("cadre").get(URL).status_code == 403
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.HELD
    assert not Review.objects.filter(campaign=campaign, month__month=7).exists()
