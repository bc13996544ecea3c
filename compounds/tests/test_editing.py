"""Keeping a compound's record, the residents' ratings of its property company, the checklists and titles over
HTTP: a bad value is a form error and nothing is written; the private values stay out of the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import AuditEvent
from compounds.models import Checklist, ChecklistItem, CommitteeMember, CompoundProfile, PropertyRating, TitleAward

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 7, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _profile(name: str = "长宇新城") -> CompoundProfile:
    return CompoundProfile.objects.get(compound__name=name)


def _profile_form(profile: CompoundProfile, **overrides: Any) -> dict[str, Any]:
    data = {
        "address": profile.address,
        "buildings": 12,
        "households": 970,
        "exclusive_area": "87000.00",
        "owners": 940,
        "has_property_company": "on",
        "property_company": profile.property_company,
        "property_company_contact": "新经理（演示）",
        "property_company_phone": "13900000999",
        "party_contact_name": profile.party_contact_name,
        "party_contact_phone": profile.party_contact_phone,
    }
    data.update(overrides)
    return data


def test_the_communitys_cadre_updates_the_record_and_the_audit_keeps_no_private_value(client_as: Any) -> None:
    profile = _profile()
    response = client_as("cadre").post(f"/compounds/{profile.pk}/edit/", _profile_form(profile))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.households, profile.owners, profile.property_company_contact) == (970, 940, "新经理（演示）")
    logged = str(AuditEvent.objects.filter(action="compounds.profile.update").values_list("before", "after").get())
    assert "13900000999" not in logged and "新经理" not in logged and "970" in logged


def test_a_bad_phone_or_a_company_name_without_a_company_is_refused(client_as: Any) -> None:
    profile = _profile()
    client = client_as("cadre")
    bad_phone = client.post(f"/compounds/{profile.pk}/edit/", _profile_form(profile, property_company_phone="12"))
    no_company = client.post(f"/compounds/{profile.pk}/edit/", _profile_form(profile, has_property_company=""))
    assert bad_phone.status_code == no_company.status_code == 200
    profile.refresh_from_db()
    assert profile.households == 960 and profile.has_property_company


def test_a_committee_member_is_added_with_a_term_in_order(client_as: Any) -> None:
    url = f"/compounds/{_profile().pk}/committee/new/"
    client = client_as("cadre")
    data = {"name": "新委员（演示）", "role": "member", "phone": "13900000888", "term_starts": "2022-07-01"}
    assert client.post(url, {**data, "term_ends": "2022-06-30"}).status_code == 200
    assert client.post(url, {**data, "term_ends": "2027-06-30"}).status_code == 302
    assert CommitteeMember.objects.filter(name="新委员（演示）").count() == 1
    assert "新委员" not in str(
        AuditEvent.objects.filter(action="compounds.committee.add").values("after", "target_label")
    )


def test_a_survey_of_residents_ratings_is_recorded_one_anonymous_rating_each(client_as: Any) -> None:
    url = f"/compounds/{_profile().pk}/ratings/new/"
    data = {"rated_on": "2022-07-01", "score_5": 2, "score_4": 1, "score_3": 0, "score_2": 0, "score_1": 1}
    assert client_as("cadre").post(url, data).status_code == 302
    assert sorted(PropertyRating.objects.values_list("score", flat=True)) == [1, 4, 5, 5]
    assert client_as("cadre").post(url, {**data, "rated_on": "2022-07-06"}).status_code == 200
    assert PropertyRating.objects.count() == 4


def test_the_assessors_set_up_a_checklist_and_its_items(client_as: Any) -> None:
    client = client_as("assessor")
    response = client.post("/compounds/checklists/new/", {"name": "2022年测评表"})
    checklist = Checklist.objects.get(name="2022年测评表")
    assert response.status_code == 302
    url = f"/compounds/checklists/{checklist.pk}/items/new/"
    refused = client.post(url, {"order": 1, "name": "按期办结", "weight": "20", "method": "derived", "top": 1})
    assert refused.status_code == 200 and not ChecklistItem.objects.filter(checklist=checklist).exists()
    ok = client.post(url, {"order": 1, "name": "环境整洁", "weight": "20", "method": "scale", "top": 5})
    assert ok.status_code == 302 and checklist.items.get().top == 5
    assert client_as("cadre").post("/compounds/checklists/new/", {"name": "x"}).status_code == 403


def test_a_title_is_awarded_over_http_after_an_assessment(client_as: Any) -> None:
    client = client_as("assessor")
    checklist = Checklist.objects.create(name="测评表")
    item = checklist.items.create(order=1, name="机制健全", weight=10, method="yes_no", top=1)
    profile = _profile()
    url = f"/compounds/{profile.pk}/titles/{checklist.pk}/new/"
    assert client.post(url, {"title": "model", "awarded_on": "2022-07-01"}).status_code == 200
    client.post(f"/compounds/{profile.pk}/assess/{checklist.pk}/", {"period": "2022Q2", f"item_{item.pk}": "1"})
    assert client.post(url, {"title": "model", "awarded_on": "2022-07-01"}).status_code == 302
    assert TitleAward.objects.get().awarded_on == dt.date(2022, 7, 1)
