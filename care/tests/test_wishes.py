"""Micro-wishes: review, publish, one claim at a time (also under concurrency), lapse, delivery and the household's
confirmation; the public wall shows the wish masked and never the household."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from care import services
from care.models import Household, Wish, WishState
from care.tests.conftest import ADDRESS, NAME, NOW, PHONE
from core.exceptions import StateConflict
from matters.models import Matter
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("demo")
WALL = "/wishes/"


def test_a_wish_is_a_matter_of_kind_micro_wish_and_waits_for_review_off_the_wall(
    household: Household, changyu_handler: object, login: Callable[[object], Client]
) -> None:
    response = login(changyu_handler).post(
        f"/care/households/{household.pk}/wishes/", {"text": "一副老花镜", "value": "60"}
    )
    assert response.status_code == 302
    wish = Wish.objects.get(text="一副老花镜")
    assert wish.matter.kind == "micro_wish" and wish.state == WishState.SUBMITTED
    assert not wish.matter.is_public
    assert "一副老花镜" not in Client().get(WALL).content.decode()
    login(changyu_handler).post(f"/care/wishes/{wish.pk}/publish/")
    assert "一副老花镜" in Client().get(WALL).content.decode()


def test_another_communitys_handler_cannot_publish_the_wish(
    household: Household, weiwang_handler: object, login: Callable[[object], Client]
) -> None:
    wish = services.wish_create(actor=None, household=household, text="一副老花镜", value=Decimal("60"))
    assert login(weiwang_handler).post(f"/care/wishes/{wish.pk}/publish/").status_code == 404
    wish.refresh_from_db()
    assert wish.state == WishState.SUBMITTED


def test_the_wall_shows_the_wish_masked_and_its_value_never_the_household(open_wish: Wish) -> None:
    services.wish_create(actor=None, household=open_wish.household, text=f"电话{PHONE}联系", value=Decimal("5"))
    text = Client().get(WALL).content.decode()
    assert "想要一台收音机" in text and "120" in text
    assert NAME not in text  # the wall blanks the household's names
    assert ADDRESS not in text and PHONE not in text


def test_a_cadre_claims_an_open_wish_from_the_wall_and_a_second_claim_is_refused(
    open_wish: Wish, other_cadre: object, login: Callable[[object], Client]
) -> None:
    response = login("cadre").post(f"{WALL}{open_wish.pk}/claim/", {"claimer_kind": "cadre"}, follow=True)
    assert response.status_code == 200
    open_wish.refresh_from_db()
    cadre = get_user_model().objects.get(username="cadre")
    assert open_wish.state == WishState.CLAIMED and open_wish.claimed_by_id == cadre.pk
    claimed_at = open_wish.claimed_at
    response = login(other_cadre).post(f"{WALL}{open_wish.pk}/claim/", {"claimer_kind": "cadre"}, follow=True)
    assert "该心愿当前不可认领：可能已被他人先行认领。" in response.content.decode()
    open_wish.refresh_from_db()
    assert open_wish.claimed_by_id == cadre.pk and open_wish.claimed_at == claimed_at


def test_a_unit_claims_in_its_own_name(open_wish: Wish, login: Callable[[object], Client]) -> None:
    login("leader").post(f"{WALL}{open_wish.pk}/claim/", {"claimer_kind": "branch", "claimer_name": "机关第一党支部"})
    open_wish.refresh_from_db()
    assert (open_wish.claimer_kind, open_wish.claimer_name) == ("branch", "机关第一党支部")
    assert "机关第一党支部" in Client().get(WALL).content.decode()


def test_the_public_and_roles_without_the_right_cannot_claim(
    open_wish: Wish, login: Callable[[object], Client]
) -> None:
    assert Client().post(f"{WALL}{open_wish.pk}/claim/").status_code == 302  # to the login page
    assert login("assessor").post(f"{WALL}{open_wish.pk}/claim/").status_code == 403
    open_wish.refresh_from_db()
    assert open_wish.state == WishState.PUBLISHED


def test_a_claim_lapses_after_the_configured_days_and_the_wish_is_open_again(open_wish: Wish, settings: object) -> None:
    settings.CARE_CLAIM_DAYS = 7  # type: ignore[attr-defined]
    cadre = get_user_model().objects.get(username="cadre")
    services.wish_claim(actor=cadre, wish=open_wish)
    assert services.wish_claims_expire(now=NOW + dt.timedelta(days=6)) == 0
    with time_machine.travel(NOW + dt.timedelta(days=8), tick=False):
        assert services.wish_claims_expire() == 1
    open_wish.refresh_from_db()
    assert open_wish.state == WishState.PUBLISHED and open_wish.claimed_by is None
    assert Notification.objects.filter(recipient=cadre, title__contains=open_wish.code).exists()


def test_delivery_then_the_households_confirmation_through_the_community_fulfils_the_wish(
    open_wish: Wish, changyu_handler: object, login: Callable[[object], Client]
) -> None:
    cadre = get_user_model().objects.get(username="cadre")
    services.wish_claim(actor=cadre, wish=open_wish)
    login("cadre").post(f"/care/wishes/{open_wish.pk}/deliver/")
    open_wish.refresh_from_db()
    assert open_wish.state == WishState.DELIVERED
    # Without the household's confirmation: refused, nothing written.
    response = login(changyu_handler).post(f"/care/wishes/{open_wish.pk}/confirm/", {}, follow=True)
    open_wish.refresh_from_db()
    assert open_wish.state == WishState.DELIVERED and response.status_code == 200
    login(changyu_handler).post(f"/care/wishes/{open_wish.pk}/confirm/", {"household_confirmed": "on"})
    open_wish.refresh_from_db()
    assert open_wish.state == WishState.FULFILLED and open_wish.confirmed_via == "community"


def test_the_household_confirms_receipt_through_its_link_without_a_photo_or_a_login(open_wish: Wish) -> None:
    cadre = get_user_model().objects.get(username="cadre")
    wish = services.wish_deliver(actor=cadre, wish=services.wish_claim(actor=cadre, wish=open_wish))
    link = f"{WALL}confirm/{wish.confirm_token}/"
    page = Client().get(link)
    assert page.status_code == 200 and NAME not in page.content.decode()
    Client().post(link)
    wish.refresh_from_db()
    assert wish.state == WishState.FULFILLED and wish.confirmed_via == "link"
    assert Client().get(f"{WALL}confirm/{'x' * 32}/").status_code == 404


def test_a_wish_cannot_be_confirmed_before_it_is_delivered(open_wish: Wish) -> None:
    with pytest.raises(StateConflict):
        services.wish_confirm(actor=None, wish=open_wish, household_confirmed=True)


def test_a_negative_value_is_refused_and_nothing_written(
    household: Household, changyu_handler: object, login: Callable[[object], Client]
) -> None:
    count = Matter.objects.count()
    login(changyu_handler).post(f"/care/households/{household.pk}/wishes/", {"text": "x", "value": "-5"})
    assert Matter.objects.count() == count and not Wish.objects.filter(text="x").exists()


def test_two_cadres_claiming_the_same_wish_at_the_same_moment_exactly_one_wins(transactional_db: None, demo: None) -> None:
    from care.models import Category
    from care.tests.conftest import _staff
    from org.models import Unit

    household = services.household_create(
        actor=None,
        community=Unit.objects.get(ref="seed:community:changyu"),
        address="并发路1号",
        categories=[Category.objects.get(code="dibao")],
    )
    wish = services.wish_publish(
        actor=None, wish=services.wish_create(actor=None, household=household, text="并发", value=Decimal("1"))
    )
    claimers = [
        _staff(f"racer{n}", "seed:community:changyu", __import__("core.roles").roles.Role.CADRE) for n in (1, 2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(user: object) -> None:
        try:
            barrier.wait()
            services.wish_claim(actor=user, wish=Wish.objects.get(pk=wish.pk))  # type: ignore[arg-type]
            outcomes.append("won")
        except StateConflict:
            outcomes.append("refused")
        finally:
            connection.close()  # the thread's own connection, or the test database cannot be dropped

    threads = [threading.Thread(target=claim, args=(user,)) for user in claimers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["refused", "won"]
    wish.refresh_from_db()
    assert wish.state == WishState.CLAIMED and wish.claimed_by_id in {u.pk for u in claimers}  # type: ignore[attr-defined]


def test_the_lapse_of_claims_runs_nightly_and_the_chase_of_pairings_on_monday_mornings() -> None:
    from core.jobs.queue import huey

    tasks = {task.name: task for task in huey._registry.periodic_tasks}
    monday = dt.datetime(2026, 11, 30)
    assert tasks["care.wish_claims_expire"].validate_datetime(monday.replace(hour=2, minute=10))
    assert tasks["care.pairings_chase"].validate_datetime(monday.replace(hour=9, minute=0))
    assert not tasks["care.pairings_chase"].validate_datetime((monday + dt.timedelta(days=1)).replace(hour=9, minute=0))


def test_the_wishs_matter_follows_it_assigned_to_the_community_in_progress_when_claimed_closed_when_fulfilled(
    open_wish: Wish, login: Callable[[object], Client]
) -> None:
    from matters.workflow import Status

    matter = Matter.objects.get(pk=open_wish.matter_id)
    assert matter.status == Status.ASSIGNED and list(matter.units.all()) == [open_wish.community]
    cadre = get_user_model().objects.get(username="cadre")
    services.wish_claim(actor=cadre, wish=open_wish)
    assert Matter.objects.get(pk=matter.pk).status == Status.IN_PROGRESS
    services.wish_confirm(actor=None, wish=open_wish, household_confirmed=True)
    assert Matter.objects.get(pk=matter.pk).status == Status.CLOSED
    page = login("coordinator").get(f"/matters/{matter.pk}/").content.decode()
    assert open_wish.code in page and NAME not in page  # the kind's panel, never the household
