"""Households in need: who sees one (and the 404 for everyone else), each view on record, bad input refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from audit.models import AuditEvent
from care.models import Category, Household
from care.tests.conftest import ADDRESS, NAME, PHONE
from org.models import Unit

pytestmark = pytest.mark.usefixtures("demo")


def _page(household: Household) -> str:
    return f"/care/households/{household.pk}/"


@pytest.mark.parametrize("who", ["cadre", "coordinator", "supervisor", "changyu_handler"])
def test_the_community_handlers_the_paired_cadre_and_the_two_teams_see_the_household(
    who: str, household: Household, login: Callable[[object], Client], request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who) if who == "changyu_handler" else who
    response = login(user).get(_page(household))
    assert response.status_code == 200
    text = response.content.decode()
    assert ADDRESS in text and NAME in text and PHONE in text


@pytest.mark.parametrize("who", ["weiwang_handler", "other_cadre", "handler"])
def test_another_communitys_handler_and_an_unpaired_cadre_get_not_found(
    who: str, household: Household, login: Callable[[object], Client], request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who) if who != "handler" else who
    assert login(user).get(_page(household)).status_code == 404
    assert NAME not in login(user).get("/care/households/").content.decode()


@pytest.mark.parametrize("who", ["leader", "assessor", "resident", "outsider"])
def test_roles_without_the_household_view_are_refused(
    who: str, household: Household, login: Callable[[object], Client], client_as: object
) -> None:
    assert login(who).get(_page(household)).status_code == 403


def test_every_view_of_a_household_is_on_record_naming_the_fields_never_their_values(
    household: Household, login: Callable[[object], Client]
) -> None:
    before = AuditEvent.objects.count()
    login("coordinator").get(_page(household))
    login("coordinator").get("/care/households/")
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [e.action for e in events] == ["care.household_view", "care.household_list"]
    assert events[0].target_id == str(household.pk)
    for event in AuditEvent.objects.filter(target_type="care.household"):
        dumped = f"{event.before} {event.after} {event.target_label}"
        assert ADDRESS not in dumped and NAME not in dumped and PHONE not in dumped


def test_a_community_handler_registers_a_household_with_its_categories(
    changyu_handler: object, login: Callable[[object], Client]
) -> None:
    community = Unit.objects.get(ref="seed:community:changyu")
    data = {
        "community": community.pk,
        "address": "演示路8号（演示）",
        "categories": [Category.objects.get(code="tekun").pk],
    }
    response = login(changyu_handler).post("/care/households/new/", data)
    assert response.status_code == 302
    household = Household.objects.get(address="演示路8号（演示）")
    assert [c.code for c in household.categories.all()] == ["tekun"]


def test_a_household_with_no_category_is_refused_with_a_message_and_nothing_written(
    changyu_handler: object, login: Callable[[object], Client]
) -> None:
    community = Unit.objects.get(ref="seed:community:changyu")
    count = Household.objects.count()
    response = login(changyu_handler).post("/care/households/new/", {"community": community.pk, "address": "x路1号"})
    assert response.status_code == 200
    assert (
        "Give the household at least one category." in response.content.decode() or "至少" in response.content.decode()
    )
    assert Household.objects.count() == count


def test_a_handler_cannot_register_a_household_in_another_community(
    weiwang_handler: object, login: Callable[[object], Client]
) -> None:
    community = Unit.objects.get(ref="seed:community:changyu")
    data = {"community": community.pk, "address": "演示路9号", "categories": [Category.objects.get(code="tekun").pk]}
    response = login(weiwang_handler).post("/care/households/new/", data)
    assert response.status_code == 200 and not Household.objects.filter(address="演示路9号").exists()


def test_the_categories_are_a_configurable_list(changyu_handler: object, login: Callable[[object], Client]) -> None:
    Category.objects.create(code="flood", label="受灾户", order=95)
    response = login(changyu_handler).get("/care/households/new/")
    assert "受灾户" in response.content.decode()


def test_the_community_handler_edits_the_household_and_the_audit_names_private_fields_only(
    household: Household, changyu_handler: object, login: Callable[[object], Client]
) -> None:
    data = {
        "community": household.community_id,
        "address": "新地址（演示）",
        "needs": "助餐",
        "categories": [Category.objects.get(code="tekun").pk, Category.objects.get(code="dibao").pk],
    }
    assert login(changyu_handler).post(f"/care/households/{household.pk}/edit/", data).status_code == 302
    household.refresh_from_db()
    assert household.address == "新地址（演示）" and household.categories.count() == 2
    event = AuditEvent.objects.filter(action="care.household_update").latest("seq")
    assert "新地址" not in str(event.after) and "address" in (event.after or {})["private_fields"]
    empty = login(changyu_handler).post(f"/care/households/{household.pk}/edit/", {**data, "categories": []})
    assert empty.status_code == 200
    assert household.categories.count() == 2


def test_another_communitys_handler_cannot_edit_the_household(
    household: Household, weiwang_handler: object, login: Callable[[object], Client]
) -> None:
    assert login(weiwang_handler).get(f"/care/households/{household.pk}/edit/").status_code == 404
