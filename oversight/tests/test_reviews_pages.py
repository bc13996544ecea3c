"""The review pages as the coordination team uses them, and as the others may (or may not) see them."""

from __future__ import annotations

import pytest
from django.conf import settings

from matters.tests.factories import matter_in
from matters.workflow import Status
from oversight.models.reviews import Decision, Review, ReviewStatus
from oversight.tests.reviews_world import at, campaign, july_2031, review_in

__all__ = ["campaign", "july_2031"]
pytestmark = pytest.mark.usefixtures("july_2031")


def _english(client):  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("state", ["draft", "prepared", "held", "closed"])
def test_every_page_of_a_review_renders_for_the_coordinator(state, campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in(state, campaign)
    client = client_as("coordinator")
    pages = ["/oversight/reviews/", "/oversight/reviews/new/", f"/oversight/reviews/{review.pk}/"]
    pages += [
        f"/oversight/reviews/{review.pk}/{page}/" for page in ("edit", "hold", "decisions/new", "minutes", "cancel")
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    assert review.month_label in client.get("/oversight/reviews/").content.decode()


def test_a_cadre_is_refused_every_review_page_and_a_leader_reads_but_does_not_manage(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("held", campaign)
    cadre, leader = client_as("cadre"), client_as("leader")
    for url in [
        "/oversight/reviews/",
        f"/oversight/reviews/{review.pk}/",
        f"/oversight/reviews/{review.pk}/minutes.docx",
    ]:
        assert cadre.get(url).status_code == 403
    assert leader.get(f"/oversight/reviews/{review.pk}/").status_code == 200
    assert leader.get("/oversight/reviews/new/").status_code == 403
    assert leader.post(f"/oversight/reviews/{review.pk}/close/").status_code == 403
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.HELD


def test_the_coordinator_creates_a_review_from_the_page_and_a_second_one_of_the_month_is_refused(
    campaign, client_as
) -> None:  # type: ignore[no-untyped-def]
    client = _english(client_as("coordinator"))
    data = {"campaign": campaign.pk, "month": "2031-06", "agenda": "研究六月情况"}
    response = client.post("/oversight/reviews/new/", data)
    assert response.status_code == 302
    review = Review.objects.get(campaign=campaign)
    assert response["Location"] == f"/oversight/reviews/{review.pk}/"
    again = client.post("/oversight/reviews/new/", data)
    assert again.status_code == 200 and "already has a review of 2031-06" in again.content.decode()
    assert Review.objects.filter(campaign=campaign).count() == 1


def test_holding_without_a_chair_is_refused_on_the_page(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("prepared", campaign)
    Review.objects.filter(pk=review.pk).update(chair=None)
    client = _english(client_as("coordinator"))
    response = client.post(f"/oversight/reviews/{review.pk}/hold/", {"held_on": "2031-07-02"})
    assert response.status_code == 200 and "without a chair cannot be held" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PREPARED


def test_a_decision_on_a_closed_matter_is_refused_on_the_page_with_its_reason(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("held", campaign)
    matter = matter_in(Status.CLOSED)
    client = _english(client_as("coordinator"))
    data = {"kind": "assign", "text": "重新交办", "matter": matter.code, "deadline": "2031-08-31"}
    response = client.post(f"/oversight/reviews/{review.pk}/decisions/new/", data)
    assert response.status_code == 200 and "can no longer act on it" in response.content.decode()
    assert not Decision.objects.filter(review=review).exists()


def test_the_coordinator_records_a_decision_edits_the_minutes_and_closes(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("held", campaign)
    client = client_as("coordinator")
    response = client.post(
        f"/oversight/reviews/{review.pk}/decisions/new/", {"kind": "circular", "text": "通报逾期单位"}
    )
    assert response.status_code == 302
    form = client.get(f"/oversight/reviews/{review.pk}/minutes/").content.decode()
    assert "通报逾期单位" in form or "研究六月三张清单" in form  # the draft comes from the records
    client.post(f"/oversight/reviews/{review.pk}/minutes/", {"minutes": "经研究，决定如下：通报逾期单位。"})
    response = client.post(f"/oversight/reviews/{review.pk}/close/")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED and review.minutes == "经研究，决定如下：通报逾期单位。"
    page = client.get(f"/oversight/reviews/{review.pk}/").content.decode()
    assert "通报逾期单位" in page and f"/oversight/reviews/{review.pk}/close/" not in page


def test_closing_without_minutes_is_refused_with_a_message(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("held", campaign)
    Review.objects.filter(pk=review.pk).update(minutes="")
    client = _english(client_as("coordinator"))
    response = client.post(f"/oversight/reviews/{review.pk}/close/", follow=True)
    assert "Write the minutes before closing the review." in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.HELD


def test_the_prepared_data_are_shown_as_tables(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    from oversight.selectors.reviews import prepare
    from oversight.services.reviews import review_create, review_prepared
    from oversight.tests.reviews_world import JUNE

    with at("2031-06-10"):
        matter_in(Status.ASSIGNED, problem="六月交办的路面修补")
    review = review_create(actor=None, campaign=campaign, month=JUNE)
    review_prepared(actor=None, review=review, data=prepare(JUNE, campaign))
    page = client_as("coordinator").get(f"/oversight/reviews/{review.pk}/").content.decode()
    for table in ('id="changes"', 'id="trend"', 'id="overdue"', 'id="duties"', 'data-list-count="tasks"'):
        assert table in page
    assert "六月交办的路面修补" in page


def test_a_held_review_waits_on_the_coordinators_workbench_until_it_is_closed(campaign) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from core.plugins import work_for
    from oversight.services.reviews import review_close

    coordinator, leader = (get_user_model().objects.get(username=name) for name in ("coordinator", "leader"))
    review = review_in("held", campaign)
    labels = {str(item.label): item.count for item in work_for(coordinator)}
    assert labels.get("Reviews held, minutes to close") == 1
    assert "Reviews held, minutes to close" not in {str(item.label) for item in work_for(leader)}
    review_close(actor=None, review=review)
    assert "Reviews held, minutes to close" not in {str(item.label) for item in work_for(coordinator)}


def test_while_the_preparation_waits_the_review_page_shows_its_progress_bar_to_whoever_started_it(
    campaign,  # type: ignore[no-untyped-def]
    client_as,
) -> None:
    review = review_in("draft", campaign)
    coordinator = _english(client_as("coordinator"))
    response = coordinator.post(f"/oversight/reviews/{review.pk}/prepare/", follow=True)
    page = response.content.decode()
    assert 'id="job-progress"' in page and "hx-get=" in page and "Waiting for a worker" in page
    again = coordinator.post(f"/oversight/reviews/{review.pk}/prepare/", follow=True).content.decode()
    assert "being prepared already" in again
    other = _english(client_as("leader")).get(f"/oversight/reviews/{review.pk}/").content.decode()
    assert "The review is being prepared." in other and 'id="job-progress"' not in other
