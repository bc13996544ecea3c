"""Deliveries close matches, refuse expired policies, start the payout clock; a policy's reach; the contact
leader's workbench shows what is not yet delivered. Over HTTP as the personas use it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEvent
from enterprises import selectors, services
from enterprises.models import Delivery, EnterpriseProfile, Policy
from matters.deadlines import add_working_days
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")
DAY = dt.date(2022, 6, 15)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _leader() -> Person:
    return Person.objects.get(ref="seed:person:yanglixin")


def _deliver(policy: str, enterprise: str, **extra: object) -> Delivery:
    fields = {"way": "visit", "outcome": "informed", "delivered_on": DAY, **extra}
    return services.delivery_create(
        actor=None, policy=Policy.objects.get(ref=policy), person=_leader(),
        enterprise=EnterpriseProfile.objects.get(unit__ref=enterprise), **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_delivery_for_an_expired_policy_is_refused_and_nothing_is_written() -> None:
    counts = (Delivery.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        _deliver("demo:policy:guarantee", "demo:enterprise:zaisheng")
    assert "expired" in caught.value.message_dict["policy"][0]
    assert (Delivery.objects.count(), AuditEvent.objects.count()) == counts


def test_a_granted_benefit_gets_its_amount_and_a_payout_clock_of_sixty_working_days() -> None:
    delivery = _deliver("demo:policy:copper-chain", "demo:enterprise:tongye", outcome="granted")
    assert delivery.amount == Decimal("50") and delivery.payout_due == add_working_days(DAY, 60)


def test_not_applicable_needs_its_reason() -> None:
    with pytest.raises(ValidationError) as caught:
        _deliver("demo:policy:loan", "demo:enterprise:tongxian", outcome="not_applicable")
    assert "reason" in caught.value.message_dict


def test_a_delivery_closes_the_match_on_the_contact_leaders_workbench() -> None:
    leader = _leader()
    open_before = selectors.undelivered(leader).count()
    assert open_before > 0
    page = _client("leader").get("/workbench/")
    assert "Policy matches not yet delivered" in page.content.decode() or "尚未送达" in page.content.decode()
    match = selectors.undelivered(leader).first()
    assert match is not None
    services.delivery_create(
        actor=None, policy=match.policy, enterprise=match.enterprise, person=leader, delivered_on=DAY, way="phone",
        outcome="informed",
    )  # fmt: skip
    assert selectors.undelivered(leader).count() == open_before - 1


def test_a_policys_page_shows_its_reach() -> None:
    _deliver("demo:policy:copper-chain", "demo:enterprise:tongye", outcome="granted")
    policy = Policy.objects.get(ref="demo:policy:copper-chain")
    reach = selectors.reach(policy)
    assert (reach.informed, reach.applied, reach.granted, reach.amount) == (1, 1, 1, Decimal("50"))
    page = _client("handler").get(f"/enterprises/policies/{policy.pk}/")
    assert page.status_code == 200 and "长乐山铜业加工有限公司（演示）" in page.content.decode()


def test_a_leader_records_a_delivery_through_the_form_and_a_handler_may_not() -> None:
    policy = Policy.objects.get(ref="demo:policy:high-tech")
    profile = EnterpriseProfile.objects.get(unit__ref="demo:enterprise:xincailiao")
    data = {
        "policy": policy.pk, "enterprise": profile.pk, "person": _leader().pk, "delivered_on": "2022-06-15",
        "way": "visit", "outcome": "informed",
    }  # fmt: skip
    assert _client("handler").post("/enterprises/deliveries/new/", data).status_code == 403
    response = _client("leader").post("/enterprises/deliveries/new/", data)
    assert response.status_code == 302 and Delivery.objects.filter(policy=policy, enterprise=profile).exists()


def test_the_form_shows_the_expired_policy_message_and_writes_nothing() -> None:
    policy = Policy.objects.get(ref="demo:policy:guarantee")
    profile = EnterpriseProfile.objects.get(unit__ref="demo:enterprise:zaisheng")
    data = {
        "policy": policy.pk, "enterprise": profile.pk, "person": _leader().pk, "delivered_on": "2022-06-15",
        "way": "visit", "outcome": "informed",
    }  # fmt: skip
    response = _client("coordinator").post("/enterprises/deliveries/new/", data)
    assert response.status_code == 200 and not Delivery.objects.filter(policy=policy).exists()
    assert "expired" in response.content.decode() or "到期" in response.content.decode()
