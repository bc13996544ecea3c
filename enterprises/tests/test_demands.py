"""Enterprise demands (kind `enterprise`): created through /api/v1/matters/, confidential ones only in the back
office, rated by the enterprise through its link; enterprise visits record a demand found or a policy explained,
and 无事不扰 caps the visits of a month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent
from enterprises import services
from enterprises.models import Delivery, Demand, EnterpriseProfile, EnterpriseVisit, Policy
from fieldwork.models import Visit
from matters.models import Matter
from matters.services import matter_transition
from matters.workflow import Action, Status
from org.models import Person, Unit

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def api(username: str) -> Client:
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(headers={"Authorization": f"Token {token.key}"})


def _profile(ref: str = "demo:enterprise:jiancai") -> EnterpriseProfile:
    return EnterpriseProfile.objects.get(unit__ref=ref)


def _demand(*, confidential: bool = False) -> Matter:
    response = api("coordinator").post(
        "/api/v1/matters/",
        {
            "problem": "二期生产线建设资金缺口（演示）",
            "kind": "enterprise",
            "kind_data": {
                "enterprise": _profile().pk,
                "demand_type": "financing",
                "amount": "800",
                "confidential": confidential,
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind_data"]["demand_type"] == "financing"
    assert "rating_token" not in response.json()["kind_data"]
    return Matter.objects.get(pk=response.json()["id"])


def test_a_demand_is_created_through_the_matters_api_with_its_enterprise() -> None:
    matter = _demand()
    assert matter.kind == "enterprise" and Demand.objects.get(matter=matter).enterprise == _profile()


def test_a_demand_with_an_unknown_enterprise_or_type_is_refused_and_nothing_is_written() -> None:
    before = Matter.objects.count()
    response = api("coordinator").post(
        "/api/v1/matters/",
        {"problem": "用地（演示）", "kind": "enterprise", "kind_data": {"enterprise": 999999, "demand_type": "moon"}},
        content_type="application/json",
    )
    assert response.status_code == 400 and {"kind_data.enterprise", "kind_data.demand_type"} <= set(response.json())
    assert Matter.objects.count() == before


def _accepted(matter: Matter) -> Matter:
    matter_transition(matter=matter, action=Action.ACCEPT, actor=None)
    return Matter.objects.get(pk=matter.pk)


def test_a_confidential_demand_never_reaches_the_public_lists_or_open311_but_the_back_office_sees_it() -> None:
    secret, open_one = _accepted(_demand(confidential=True)), _accepted(_demand())
    assert not secret.is_public and open_one.is_public
    public = Client().get("/lists/problems/").content.decode()
    assert secret.code not in public and open_one.code in public
    assert secret.code not in Client().get("/open311/v2/requests.json").content.decode()
    assert (
        secret.code in api("coordinator").get("/api/v1/matters/?kind=enterprise").content.decode()
        or Matter.objects.filter(pk=secret.pk).exists()
    )
    page = _client("coordinator").get(f"/enterprises/{_profile().pk}/")
    assert "二期生产线建设资金缺口" in page.content.decode()


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _finished(matter: Matter) -> Matter:
    Matter.objects.filter(pk=matter.pk).update(status=Status.COMPLETED)
    return Matter.objects.get(pk=matter.pk)


def test_the_enterprise_rates_its_finished_demand_through_its_link() -> None:
    matter = _finished(_demand())
    link = f"/enterprises/rate/{Demand.objects.get(matter=matter).rating_token}/"
    assert Client().get(link).status_code == 200
    response = Client().post(link, {"rating": "satisfied"})
    assert response.status_code == 200
    assert Demand.objects.get(matter=matter).rating == "satisfied"


def test_a_rating_without_its_links_token_is_refused_clearly_and_nothing_is_written() -> None:
    matter = _finished(_demand())
    before = AuditEvent.objects.count()
    response = Client().post("/enterprises/rate/not-the-token/", {"rating": "dissatisfied"})
    assert response.status_code == 404
    assert "not valid" in response.content.decode() or "无效" in response.content.decode()
    assert Demand.objects.get(matter=matter).rating == "" and AuditEvent.objects.count() == before


def test_a_demand_is_rated_only_once_its_work_is_completed() -> None:
    matter = _demand()
    response = Client().post(f"/enterprises/rate/{Demand.objects.get(matter=matter).rating_token}/", {"rating": "satisfied"})
    assert response.status_code == 200 and Demand.objects.get(matter=matter).rating == ""


# --- enterprise visits -------------------------------------------------------------------------------------

PREFIX = "enterprises.visit"


def _visit(**extra: Any) -> dict[str, Any]:
    return {
        "date": "2022-06-15",
        "hours": "2",
        "kind": "enterprise",
        "place_kind": "enterprise",
        "enterprise": _profile().unit_id,
        "notes": "走访企业（演示）",
        "participants": "0",
        **{f"{PREFIX}-{key}": value for key, value in extra.items()},
    }


def test_an_enterprise_visit_records_a_demand_found_and_a_policy_explained_in_one_step() -> None:
    policy = Policy.objects.get(ref="demo:policy:loan")
    response = _client("leader").post(
        "/fieldwork/visits/new/",
        _visit(demand_problem="厂区道路需硬化（演示）", demand_type="infrastructure", policy=policy.pk),
    )
    assert response.status_code == 302, [
        str(f.errors)
        for f in [response.context["form"], *dict(response.context["extensions"]).values()]
        if f is not None
    ]
    visit = Visit.objects.latest("id")
    demand = Demand.objects.get(matter__in=visit.matters.all())
    assert demand.enterprise == _profile() and demand.demand_type == "infrastructure"
    delivery = Delivery.objects.get(visit=visit)
    assert (delivery.policy, delivery.way, delivery.outcome) == (policy, "visit", "informed")
    assert EnterpriseVisit.objects.get(visit=visit).enterprise == _profile()


def _earlier_visits(count: int) -> None:
    person = Person.objects.get(ref="seed:person:yanglixin")
    for day in range(1, count + 1):
        Visit.objects.create(
            person=person, date=dt.date(2022, 6, day), hours=1, kind="enterprise", place_kind="enterprise",
            unit=_profile().unit, entered_at=NOW,
        )  # fmt: skip


def test_a_visit_beyond_the_months_cap_needs_a_reason_and_without_one_nothing_is_stored(settings: Any) -> None:
    settings.ENTERPRISE_VISITS_PER_MONTH = 2
    _earlier_visits(2)
    before = Visit.objects.count()
    response = _client("leader").post("/fieldwork/visits/new/", _visit())
    assert response.status_code == 200 and Visit.objects.count() == before
    assert "无事不扰" in response.content.decode()
    again = _client("leader").post("/fieldwork/visits/new/", _visit(beyond_cap_reason="企业主动邀请协调用电（演示）"))
    assert again.status_code == 302 and Visit.objects.count() == before + 1


def test_an_enterprise_that_asked_for_fewer_visits_is_capped_at_one_a_month(settings: Any) -> None:
    settings.ENTERPRISE_VISITS_PER_MONTH = 4
    services.profile_update(actor=None, profile=_profile(), data={"fewer_visits": True})
    _earlier_visits(1)
    response = _client("leader").post("/fieldwork/visits/new/", _visit())
    assert response.status_code == 200 and "无事不扰" in response.content.decode()


def test_the_full_demo_makes_seed_matter_5_an_enterprise_demand_and_loads_twice_alike() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seed = Matter.objects.get(problem="循环经济产业园内企业垃圾外运不方便。")
    assert seed.kind == "enterprise" and Demand.objects.get(matter=seed).enterprise.unit.ref == "demo:enterprise:huanbao"
    counts = (Demand.objects.count(), Delivery.objects.count(), Unit.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Demand.objects.count(), Delivery.objects.count(), Unit.objects.count()) == counts
