"""Pairing (结对帮扶): a cadre paired with households, the plan and cadence, help given, household visits from field
work counted as help, and a pairing behind its cadence on the cadre's workbench and chased."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from care import services
from care.models import Help, HelpKind, Household, Pairing
from care.tests.conftest import NOW
from fieldwork.models import PlaceKind, Visit, VisitKind
from notifications.models import Notification
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")


def test_a_community_handler_pairs_a_cadre_with_a_monthly_cadence_by_default(
    household: Household, changyu_handler: object, login: Callable[[object], Client]
) -> None:
    lulu = Person.objects.get(ref="seed:person:lulu")
    data = {"cadre": lulu.pk, "target_outcome": "子女按时入学", "review_on": "2022-09-01"}
    assert login(changyu_handler).post(f"/care/households/{household.pk}/pairings/", data).status_code == 302
    pairing = Pairing.objects.get(household=household, cadre=lulu)
    assert pairing.cadence_days == 30 and pairing.review_on == dt.date(2022, 9, 1)
    assert household.pairings.count() == 2  # a household may have several cadres


def test_pairing_the_same_cadre_twice_is_refused_and_nothing_written(
    household: Household, changyu_handler: object, login: Callable[[object], Client]
) -> None:
    cadre = Person.objects.get(ref="demo:person:cadre")
    response = login(changyu_handler).post(
        f"/care/households/{household.pk}/pairings/", {"cadre": cadre.pk, "target_outcome": "x"}, follow=True
    )
    assert "该干部已与该户结对。" in response.content.decode()
    assert household.pairings.count() == 1


def test_the_paired_cadre_records_help_and_a_future_date_is_refused(
    household: Household, login: Callable[[object], Client]
) -> None:
    pairing = household.pairings.get()
    url = f"/care/pairings/{pairing.pk}/help/"
    login("cadre").post(url, {"kind": HelpKind.GOODS, "date": "2022-06-14", "note": "送米面油"})
    response = login("cadre").post(url, {"kind": HelpKind.GOODS, "date": "2022-07-14"}, follow=True)
    assert "日期不能晚于今天。" in response.content.decode()
    assert list(pairing.helps.values_list("kind", "date")) == [(HelpKind.GOODS, dt.date(2022, 6, 14))]


def test_a_household_visit_linked_to_the_paired_household_counts_as_help_under_the_pairing(
    household: Household, login: Callable[[object], Client]
) -> None:
    data = {
        "date": "2022-06-15",
        "hours": "1.5",
        "kind": VisitKind.HOUSEHOLD,
        "place_kind": PlaceKind.HOUSEHOLD,
        "place_detail": "结对户",
        "participants": "2",
        "notes": "入户",
        "care.household-household": str(household.pk),
        "kindapp.trial_visit-site": "长宇新城",
        "kindapp.trial_visit-households": "1",  # the test app's own fields
    }
    response = login("cadre").post("/fieldwork/visits/new/", data)
    assert response.status_code == 302, response.content.decode()[:300]
    visit = Visit.objects.latest("pk")
    assert visit.kind == VisitKind.HOUSEHOLD  # and so counts toward the weekly household-visit duty as before
    help_given = Help.objects.get(visit=visit)
    assert help_given.kind == HelpKind.VISIT and help_given.pairing.household == household


def test_a_visit_to_a_household_the_cadre_is_not_paired_with_is_refused_and_no_visit_stored(
    household: Household, other_cadre: object, login: Callable[[object], Client]
) -> None:
    before = Visit.objects.count()
    data = {
        "date": "2022-06-15",
        "hours": "1",
        "kind": VisitKind.HOUSEHOLD,
        "place_kind": PlaceKind.HOUSEHOLD,
        "place_detail": "x",
        "care.household-household": str(household.pk),
        "kindapp.trial_visit-site": "x",
        "kindapp.trial_visit-households": "1",
    }
    response = login(other_cadre).post("/fieldwork/visits/new/", data)
    assert response.status_code == 200 and Visit.objects.count() == before


def test_a_pairing_behind_its_cadence_shows_on_the_cadres_workbench_and_is_chased(household: Household) -> None:
    cadre_user = get_user_model().objects.get(username="cadre")
    label = "未按周期走访的结对户"

    def workbench() -> str:
        client = Client()
        client.force_login(cadre_user)
        return client.get("/workbench/").content.decode()

    assert label not in workbench()  # started 10 days ago, cadence 30
    later = NOW + dt.timedelta(days=25)
    with time_machine.travel(later, tick=False):
        assert label in workbench()
        assert services.pairings_chase() >= 1
    assert Notification.objects.filter(recipient=cadre_user, body__contains=household.code).exists()
    pairing = household.pairings.get()
    services.help_add(actor=cadre_user, pairing=pairing, kind=HelpKind.VISIT, date=NOW.date())
    with time_machine.travel(later, tick=False):
        assert label not in workbench()
