"""The REST API skeleton: token auth, paginated units and people, campaigns with phases, OpenAPI."""

from __future__ import annotations

import pytest
from django.test import Client

from org.models import Person, Unit

pytestmark = pytest.mark.usefixtures("demo")


def _token(client: Client, username: str = "coordinator", password: str = "demo-pass-2026") -> str:
    response = client.post("/api/v1/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _auth(username: str = "coordinator") -> Client:
    client = Client()
    token = _token(client, username)
    return Client(headers={"Authorization": f"Token {token}"})


def test_token_is_issued_for_username_and_password_and_opens_the_api() -> None:
    client = _auth()
    response = client.get("/api/v1/units/")
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_wrong_password_gets_no_token() -> None:
    response = Client().post("/api/v1/auth/token/", {"username": "coordinator", "password": "nope"})
    assert response.status_code == 400 and "token" not in response.json()


def test_missing_fields_are_named() -> None:
    response = Client().post("/api/v1/auth/token/", {}, content_type="application/json")
    assert response.status_code == 400 and set(response.json()) == {"username", "password"}


def test_the_api_refuses_anonymous_callers_bad_tokens_and_role_less_accounts(outsider) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/api/v1/units/").status_code == 401
    assert Client(headers={"Authorization": "Token not-a-token"}).get("/api/v1/units/").status_code == 401
    token = _token(Client(), "outsider", "outsider-pass-2026")
    assert Client(headers={"Authorization": f"Token {token}"}).get("/api/v1/units/").status_code == 403


def test_people_carry_the_username_of_their_account_and_never_a_phone() -> None:
    Person.objects.filter(name="杨立新").update(phone="13900000001")
    rows = _auth().get("/api/v1/people/?page_size=1000").json()["results"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["杨立新"]["username"] == "leader"
    assert by_name["邹国柱"]["username"] is None
    assert by_name["熊"]["name_incomplete"] is True
    assert "13900000001" not in str(rows) and "phone" not in rows[0]


def test_page_size_is_honoured_up_to_1000() -> None:
    client = _auth()
    page = client.get("/api/v1/units/?page_size=5").json()
    assert len(page["results"]) == 5 and page["count"] == Unit.objects.count() and page["next"]
    assert client.get("/api/v1/units/?page_size=5000").json()["next"] is None
    from core.rest.pagination import Pagination

    assert Pagination.max_page_size == 1000
    assert client.get("/api/v1/units/?page=999").status_code == 404


def test_units_filter_by_kind_and_parent() -> None:
    client = _auth()
    communities = client.get("/api/v1/units/?kind=community").json()["results"]
    assert {u["name"] for u in communities} == {"长宇社区", "卫王社区"}
    park = Unit.objects.get(ref="seed:park")
    children = client.get(f"/api/v1/units/?parent={park.pk}&page_size=100").json()["results"]
    assert all(u["parent"] == park.pk for u in children) and len(children) >= 9


def test_campaign_is_readable_with_its_phases_and_duty_rules() -> None:
    campaigns = _auth("cadre").get("/api/v1/campaigns/").json()["results"]
    assert len(campaigns) == 1
    campaign = campaigns[0]
    assert [p["name"] for p in campaign["phases"]] == ["动员部署阶段", "全面开展阶段", "持续深化阶段", "巩固提升阶段"]
    metrics = {(r["role"], r["metric"]): r["threshold"] for r in campaign["duty_rules"]}
    assert metrics[("cadre", "grassroots_hours")] == "20.0"
    assert _auth("cadre").get("/api/v1/phases/").json()["count"] == 4


def test_openapi_schema_lists_the_operations() -> None:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/auth/token/", "/api/v1/units/", "/api/v1/people/", "/api/v1/campaigns/{id}/"]:
        assert path in schema["paths"], path


def test_api_docs_are_served_without_a_cdn() -> None:
    html = Client().get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<body")[0]
