"""The enterprise line's API as each persona meets it: enterprises with their filters and matches (contacts only
for roles that may see them, each view audited), policies (the coordination team edits), deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent
from enterprises.demo import credit_code
from enterprises.models import Delivery, EnterpriseProfile, Industry, Policy
from org.models import Person, Unit, UnitKind

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def api(username: str | None) -> Client:
    if username is None:
        return Client()
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(headers={"Authorization": f"Token {token.key}"})


def _post(username: str, path: str, body: dict[str, Any]) -> Any:
    return api(username).post(path, body, content_type="application/json")


def _profile(ref: str = "demo:enterprise:tongye") -> EnterpriseProfile:
    return EnterpriseProfile.objects.get(unit__ref=ref)


def test_the_list_filters_by_industry_size_tag_and_contact_leader() -> None:
    rows = api("handler").get("/api/v1/enterprises/?industry=copper").json()["results"]
    assert {row["industry_code"] for row in rows} == {"copper"} and len(rows) == 3
    rows = api("handler").get("/api/v1/enterprises/?tag=specialised&size=medium").json()["results"]
    assert {row["name"] for row in rows} == {
        "长乐山新材料有限公司（演示）",
        "长乐山精密铜材有限公司（演示）",
        "长乐山智能装备制造有限公司（演示）",
    }
    leader = Person.objects.get(ref="seed:person:yanglixin")
    rows = api("leader").get(f"/api/v1/enterprises/?contact_leader={leader.pk}").json()["results"]
    assert rows and all(row["contact_leader"] == leader.pk for row in rows)
    assert len(api("cadre").get("/api/v1/enterprises/?not_visited_days=30").json()["results"]) == 12


def test_contacts_are_shown_to_a_leader_with_an_audited_view_and_never_to_a_handler() -> None:
    profile = _profile()
    assert api("handler").get(f"/api/v1/enterprises/{profile.pk}/").json()["contacts"] is None
    before = AuditEvent.objects.filter(action="enterprises.contact.view").count()
    contacts = api("leader").get(f"/api/v1/enterprises/{profile.pk}/").json()["contacts"]
    assert contacts[0]["phone"].startswith("139000")
    assert AuditEvent.objects.filter(action="enterprises.contact.view").count() == before + 1
    assert "139000" not in api("leader").get("/api/v1/enterprises/").content.decode()  # never in the list


def test_the_contacts_page_is_for_leaders_and_the_coordination_team_only() -> None:
    profile = _profile()
    for username, status in [("leader", 200), ("coordinator", 200), ("handler", 403), ("cadre", 403)]:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        assert client.get(f"/enterprises/{profile.pk}/contacts/").status_code == status, username
    assert Client().get(f"/enterprises/{profile.pk}/contacts/").status_code == 302  # anonymous: to the login page


def test_an_enterprises_matches_and_a_policys_matches_come_with_their_reasons() -> None:
    matches = api("cadre").get(f"/api/v1/enterprises/{_profile().pk}/matches/").json()
    titles = {m["policy_title"] for m in matches if m["qualified"]}
    assert "铜产业链延链补链奖励办法（演示）" in titles and all(m["reasons"] for m in matches if m["qualified"])
    policy = Policy.objects.get(ref="demo:policy:copper-chain")
    rows = api("cadre").get(f"/api/v1/policies/{policy.pk}/matches/").json()
    assert any(not m["qualified"] and m["unmet"] for m in rows)


def test_the_coordination_team_creates_a_profile_and_a_wrong_check_digit_is_refused() -> None:
    unit = Unit.objects.create(
        name="新入园企业（演示）", kind=UnitKind.ENTERPRISE, parent=Unit.objects.get(ref="seed:park")
    )
    body = {"unit": unit.pk, "credit_code": credit_code(77)[:17] + "X", "industry": Industry.objects.get(code="copper").pk,
            "size": "small", "employees": 120, "stage": "producing", "tags": []}  # fmt: skip
    if credit_code(77)[17] == "X":
        body["credit_code"] = credit_code(77)[:17] + "Y"
    bad = _post("coordinator", "/api/v1/enterprises/", body)
    assert bad.status_code == 400 and "credit_code" in bad.json()
    assert not EnterpriseProfile.objects.filter(unit=unit).exists()
    assert _post("leader", "/api/v1/enterprises/", {**body, "credit_code": credit_code(77)}).status_code == 403
    good = _post("coordinator", "/api/v1/enterprises/", {**body, "credit_code": credit_code(77)})
    assert good.status_code == 201, good.content
    matches = api("cadre").get(f"/api/v1/enterprises/{good.json()['id']}/matches/").json()
    assert "铜产业链延链补链奖励办法（演示）" in {m["policy_title"] for m in matches if m["qualified"]}


def test_policies_are_read_by_staff_and_edited_by_the_coordination_team_and_unknown_fields_are_refused() -> None:
    assert api("cadre").get("/api/v1/policies/").status_code == 200
    assert api(None).get("/api/v1/policies/").status_code == 401
    body = {"title": "新材料首批次应用奖励（演示）", "issuer": "园区（演示）", "year": 2022, "valid_from": "2022-01-01",
            "benefit_kind": "award", "benefit_amount": "10",
            "conditions": [{"field": "industry", "op": "in", "value": ["materials"]}]}  # fmt: skip
    assert _post("leader", "/api/v1/policies/", body).status_code == 403
    before = Policy.objects.count()
    bad = _post(
        "coordinator", "/api/v1/policies/", {**body, "conditions": [{"field": "turnover", "op": "gte", "value": 1}]}
    )
    assert bad.status_code == 400 and "turnover" in bad.json()["conditions"][0]
    assert Policy.objects.count() == before
    created = _post("coordinator", "/api/v1/policies/", body)
    assert created.status_code == 201, created.content
    rows = api("cadre").get(f"/api/v1/policies/{created.json()['id']}/matches/").json()
    assert {m["enterprise_name"] for m in rows if m["qualified"]} == {
        "长乐山新材料有限公司（演示）",
        "长乐山高分子材料有限公司（演示）",
    }


def test_a_delivery_through_the_api_for_an_expired_policy_is_refused_and_a_valid_one_is_stored() -> None:
    person = Person.objects.get(ref="seed:person:yanglixin")
    expired = Policy.objects.get(ref="demo:policy:guarantee")
    body = {"policy": expired.pk, "enterprise": _profile("demo:enterprise:zaisheng").pk, "person": person.pk,
            "delivered_on": "2022-06-15", "way": "phone", "outcome": "informed"}  # fmt: skip
    refused = _post("leader", "/api/v1/deliveries/", body)
    assert refused.status_code == 400 and "policy" in refused.json()
    assert not Delivery.objects.exists()
    assert _post("handler", "/api/v1/deliveries/", body).status_code == 403
    granted = {**body, "policy": Policy.objects.get(ref="demo:policy:copper-chain").pk, "enterprise": _profile().pk,
               "outcome": "granted"}  # fmt: skip
    stored = _post("leader", "/api/v1/deliveries/", granted)
    assert stored.status_code == 201 and stored.json()["payout_due"] is not None
    assert api("supervisor").get("/api/v1/deliveries/").json()["count"] == 1


def test_the_coordination_team_adds_a_contact_a_bad_phone_is_refused_and_a_leader_may_not_add() -> None:
    profile = _profile()
    coordinator, leader = Client(), Client()
    coordinator.force_login(get_user_model().objects.get(username="coordinator"))
    leader.force_login(get_user_model().objects.get(username="leader"))
    path = f"/enterprises/{profile.pk}/contacts/new/"
    assert leader.post(path, {"name": "钱主任（演示）", "phone": "13900000999"}).status_code == 403
    bad = coordinator.post(path, {"name": "钱主任（演示）", "phone": "12345"})
    assert bad.status_code == 200 and not profile.contacts.filter(name="钱主任（演示）").exists()
    assert coordinator.post(path, {"name": "钱主任（演示）", "phone": "13900000999"}).status_code == 302
    assert "13900000999" in leader.get(f"/enterprises/{profile.pk}/contacts/").content.decode()
    page = leader.get(f"/enterprises/{profile.pk}/").content.decode()
    assert "13900000999" not in page  # the enterprise's page itself never shows contacts
