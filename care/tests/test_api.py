"""Care over REST: households to those who may see them (audited), wishes with claim and fulfil, in the schema."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent
from care.models import Household, Wish, WishState
from care.tests.conftest import ADDRESS, NAME, PHONE

pytestmark = pytest.mark.usefixtures("demo")


def _api(user: object) -> Client:
    account = get_user_model().objects.get(username=user) if isinstance(user, str) else user
    token, _created = Token.objects.get_or_create(user=account)
    return Client(headers={"Authorization": f"Token {token.key}"})


def test_the_paired_cadre_reads_the_household_with_its_members_and_the_read_is_audited(household: Household) -> None:
    before = AuditEvent.objects.count()
    body = _api("cadre").get(f"/api/v1/households/{household.pk}/").json()
    assert body["address"] == ADDRESS and body["members"][0]["phone"] == PHONE
    assert AuditEvent.objects.filter(seq__gt=before, action="care.household_view").exists()


def test_an_unpaired_cadre_gets_not_found_and_an_empty_list(household: Household, other_cadre: object) -> None:
    assert _api(other_cadre).get(f"/api/v1/households/{household.pk}/").status_code == 404
    assert NAME not in _api(other_cadre).get("/api/v1/households/").content.decode()


def test_the_wish_list_never_names_the_household_to_those_who_do_not_see_it(open_wish: Wish) -> None:
    leader = _api("leader").get("/api/v1/wishes/").content.decode()
    assert (
        NAME not in leader
        and ADDRESS not in leader
        and f'"household":{open_wish.household_id}' not in leader.replace(" ", "")
    )
    cadre = _api("cadre").get(f"/api/v1/wishes/{open_wish.pk}/").json()
    assert cadre["household"] == open_wish.household_id and NAME not in cadre["text"]


def test_claim_then_a_second_claim_is_a_409_and_changes_nothing(open_wish: Wish, other_cadre: object) -> None:
    first = _api("cadre").post(f"/api/v1/wishes/{open_wish.pk}/claim/", {}, content_type="application/json")
    assert first.status_code == 200 and first.json()["state"] == WishState.CLAIMED
    second = _api(other_cadre).post(f"/api/v1/wishes/{open_wish.pk}/claim/", {}, content_type="application/json")
    assert second.status_code == 409 and "认领" in second.json()["detail"]
    open_wish.refresh_from_db()
    assert open_wish.claimed_by.username == "cadre"  # type: ignore[union-attr]


def test_fulfil_needs_the_households_confirmation_and_the_communitys_handler(
    open_wish: Wish, changyu_handler: object, weiwang_handler: object
) -> None:
    _api("cadre").post(f"/api/v1/wishes/{open_wish.pk}/claim/", {}, content_type="application/json")
    url = f"/api/v1/wishes/{open_wish.pk}/fulfil/"
    missing = _api(changyu_handler).post(url, {"household_confirmed": False}, content_type="application/json")
    assert missing.status_code == 400 and "household_confirmed" in missing.json()
    assert _api("cadre").post(url, {"household_confirmed": True}, content_type="application/json").status_code == 403
    other = _api(weiwang_handler).post(url, {"household_confirmed": True}, content_type="application/json")
    assert other.status_code in (403, 404)
    open_wish.refresh_from_db()
    assert open_wish.state == WishState.CLAIMED
    done = _api(changyu_handler).post(url, {"household_confirmed": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == WishState.FULFILLED


def test_the_schema_documents_the_collections_their_actions_and_the_private_fields(
    login: Callable[[object], Client],
) -> None:
    schema = _api("coordinator").get("/api/v1/schema/", {"format": "json"}).content.decode()
    paths = json.loads(schema)["paths"]
    for path in [
        "/api/v1/households/",
        "/api/v1/pairings/",
        "/api/v1/wishes/",
        "/api/v1/wishes/{id}/claim/",
        "/api/v1/wishes/{id}/fulfil/",
    ]:
        assert path in paths
    assert "answered only to the household's community handlers" in schema
