"""A household's name, address, phone and ID number, planted in its record and typed into its wishes, never reach
the public wall, any public page, the exports, the API of a role that may not see the household, the audit log's
values or the logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent
from care import services
from care.models import Household, Wish
from care.tests.conftest import ADDRESS, ID_NUMBER, NAME, PHONE
from tests.security.matrix import PERSONAS

pytestmark = pytest.mark.usefixtures("demo")
SECRETS = (NAME, NAME.replace("（演示）", ""), ADDRESS, PHONE, ID_NUMBER)
# Those who see the household itself; everyone else must never read what was planted.
SEE_HOUSEHOLD = {"cadre", "coordinator", "supervisor"}


@pytest.fixture
def planted(household: Household) -> Iterator[list[Wish]]:
    cadre = get_user_model().objects.get(username="cadre")
    text = f"{NAME}（{PHONE}，身份证{ID_NUMBER}）住{ADDRESS}，想要一台电暖器"
    wishes = [services.wish_create(actor=None, household=household, text=text, value=Decimal("300")) for _n in range(4)]
    services.wish_publish(actor=None, wish=wishes[1])
    services.wish_claim(actor=cadre, wish=services.wish_publish(actor=None, wish=wishes[2]))
    services.wish_deliver(
        actor=cadre, wish=services.wish_claim(actor=cadre, wish=services.wish_publish(actor=None, wish=wishes[3]))
    )
    yield [Wish.objects.get(pk=w.pk) for w in wishes]


def _leaks(body: bytes, kind: str = "") -> list[str]:
    text = (
        json.dumps(json.loads(body), ensure_ascii=False) if "json" in kind and body else body.decode("utf-8", "replace")
    )
    return [secret for secret in SECRETS if secret in text]


def test_the_wall_and_every_public_page_show_nothing_planted(planted: list[Wish]) -> None:
    client = Client()
    wall = client.get("/wishes/").content.decode()
    assert "想要一台电暖器" in wall  # the wish is there, masked
    token = planted[3].confirm_token
    for url in [
        "/wishes/",
        f"/wishes/?community={planted[0].community_id}",
        f"/wishes/confirm/{token}/",
        "/",
        "/lists/problems/",
        "/lists/tasks/",
        "/lists/effects/",
        "/open311/v2/requests.xml",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert not _leaks(response.content), (url, _leaks(response.content))


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in SEE_HOUSEHOLD and PERSONAS[p][0]])
def test_the_api_and_the_back_office_show_a_role_that_does_not_see_the_household_nothing_planted(
    planted: list[Wish], persona: str, client_as: object
) -> None:
    account = get_user_model().objects.get(username=PERSONAS[persona][0])
    token, _created = Token.objects.get_or_create(user=account)
    api = Client(headers={"Authorization": f"Token {token.key}"})
    web = Client()
    web.force_login(account)
    matter = planted[1].matter
    for client, url in [
        (api, "/api/v1/wishes/"),
        (api, f"/api/v1/wishes/{planted[1].pk}/"),
        (api, "/api/v1/households/"),
        (api, "/api/v1/matters/"),
        (api, f"/api/v1/matters/{matter.pk}/"),
        (web, "/matters/"),
        (web, f"/matters/{matter.pk}/"),
        (web, "/wishes/"),
        (web, "/care/figures/"),
        (web, "/matters/lists/download/?list=problems&format=csv"),
    ]:
        response = client.get(url)
        body = response.getvalue() if response.streaming else response.content
        assert response.status_code < 500, url
        assert not _leaks(body, response.get("Content-Type", "")), (persona, url)


def test_the_audit_log_and_the_logs_keep_no_planted_value(
    planted: list[Wish], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    client.get(f"/care/households/{planted[0].household_id}/")
    client.get("/api/v1/households/")
    services.wish_confirm(
        actor=get_user_model().objects.get(username="coordinator"), wish=planted[3], household_confirmed=True
    )
    for event in AuditEvent.objects.filter(action__startswith="care."):
        dumped = json.dumps([event.before, event.after, event.target_label], ensure_ascii=False)
        assert not [s for s in SECRETS if s in dumped], event.action
    assert not [s for s in SECRETS if s in caplog.text]
