"""Kinds are plug-ins: a throwaway kind (tests/kindapp, installed by the test settings) walks the whole loop.

The trial kind has a detail record of its own (site, households), lets the lead complete as well as the
handler, refuses completion without households and counts the steps it saw: through the API, the back office
and the services, as a new domain app would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token

from matters.kinds import LIVELIHOOD, kind_choices, kind_spec, kind_specs
from matters.models import Matter, Transition
from matters.services import matter_create, matter_transition
from matters.workflow import Action, Status
from org.models import Person, Unit
from tests.kindapp.models import TrialDetail

pytestmark = pytest.mark.usefixtures("demo")

NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MATTERS = "/api/v1/matters/"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def api(username: str) -> Client:
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(headers={"Authorization": f"Token {token.key}"})


def _post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data, content_type="application/json")


def _act(username: str, matter: Matter, action: str, **fields: Any) -> Any:
    return _post(api(username), f"{MATTERS}{matter.pk}/transitions/", {"action": action, **fields})


def _trial(households: int = 12) -> Matter:
    matter, _created = matter_create(
        actor=None, problem="卫王社区试点垃圾分类", kind="trial", kind_data={"site": "卫王社区", "households": households}
    )
    return matter


def _assigned(matter: Matter) -> None:
    matter_transition(matter=matter, action=Action.ACCEPT, actor=None)
    matter_transition(
        matter=matter,
        action=Action.ASSIGN,
        actor=None,
        task="试点垃圾分类",
        deadline=dt.date(2022, 7, 31),
        leads=[Person.objects.get(name="杨立新")],
        units=[Unit.objects.get(name="基建办")],
    )


def test_the_registry_holds_the_default_kind_and_the_plugged_in_one() -> None:
    assert next(iter(kind_specs())) == LIVELIHOOD
    assert "trial" in kind_specs()
    assert ("trial", "Trial") in kind_choices()
    assert kind_spec("no_such_kind").code == LIVELIHOOD  # a kind whose app was removed reads as livelihood


def test_a_kind_nobody_registered_is_refused_by_every_channel_and_nothing_is_written() -> None:
    before = Matter.objects.count()
    response = _post(api("coordinator"), MATTERS, {"problem": "路灯不亮", "kind": "street_fair"})
    assert response.status_code == 400 and "kind" in response.json()
    with pytest.raises(ValidationError) as refused:
        matter_create(actor=None, problem="路灯不亮", kind="street_fair")
    assert "kind" in refused.value.message_dict
    assert Matter.objects.count() == before


def test_a_trial_is_created_through_the_api_with_its_own_data_and_shows_it() -> None:
    response = _post(
        api("coordinator"),
        MATTERS,
        {"problem": "卫王社区试点垃圾分类", "kind": "trial", "kind_data": {"site": "卫王社区", "households": 40}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "trial" and body["kind_data"] == {"site": "卫王社区", "households": 40}
    detail = TrialDetail.objects.get(matter_id=body["id"])
    assert (detail.site, detail.households) == ("卫王社区", 40)


def test_a_trial_without_its_data_or_with_bad_data_is_refused_and_nothing_is_written() -> None:
    before = (Matter.objects.count(), TrialDetail.objects.count(), Transition.objects.count())
    missing = _post(api("coordinator"), MATTERS, {"problem": "试点", "kind": "trial"})
    assert missing.status_code == 400 and "kind_data" in missing.json()
    bad = _post(
        api("coordinator"), MATTERS, {"problem": "试点", "kind": "trial", "kind_data": {"site": "", "households": -1}}
    )
    assert bad.status_code == 400
    assert {"kind_data.site", "kind_data.households"} <= set(bad.json())
    assert (Matter.objects.count(), TrialDetail.objects.count(), Transition.objects.count()) == before


def test_a_livelihood_matter_takes_no_kind_data() -> None:
    response = _post(api("coordinator"), MATTERS, {"problem": "路灯不亮", "kind": "livelihood", "kind_data": {"x": 1}})
    assert response.status_code == 400 and "kind_data" in response.json()


def test_a_trial_walks_the_whole_loop_with_its_hooks_and_its_own_rule_for_completing() -> None:
    matter = _trial()
    _assigned(matter)
    assert _act("handler", matter, "start").status_code == 200
    # The trial kind lets the lead complete too (the loop's table lets only a handler of a responsible unit).
    completed = _act("leader", matter, "complete", effect="已覆盖 12 户")
    assert completed.status_code == 200, completed.content
    assert completed.json()["status"] == Status.COMPLETED
    assert _act("leader", matter, "verify").status_code == 200
    closed = _act("leader", matter, "close", satisfaction="satisfied")
    assert closed.json()["status"] == Status.CLOSED
    # The kind's hook recorded its data with the completion and saw every step after creation.
    step = Transition.objects.get(matter=matter, action=Action.COMPLETE)
    assert step.data["households"] == 12
    assert TrialDetail.objects.get(matter=matter).steps_seen == 6  # accept, assign, start, complete, verify, close


def test_for_a_livelihood_matter_the_lead_still_may_not_complete() -> None:
    matter, _created = matter_create(actor=None, problem="赵罗路破损")
    _assigned(matter)
    matter_transition(matter=matter, action=Action.START, actor=None)
    refused = _act("leader", matter, "complete", effect="已完成")
    assert refused.status_code == 403
    assert Matter.objects.get(pk=matter.pk).status == Status.IN_PROGRESS


def test_the_kinds_hook_refuses_a_step_and_nothing_changes() -> None:
    matter = _trial(households=0)
    _assigned(matter)
    matter_transition(matter=matter, action=Action.START, actor=None)
    steps = Transition.objects.filter(matter=matter).count()
    refused = _act("handler", matter, "complete", effect="已完成")
    assert refused.status_code == 400 and "households" in refused.json()
    matter.refresh_from_db()
    assert matter.status == Status.IN_PROGRESS and matter.completed_at is None
    assert Transition.objects.filter(matter=matter).count() == steps


def test_the_allowed_actions_follow_the_kinds_rule_on_the_page_and_in_the_api() -> None:
    matter = _trial()
    _assigned(matter)
    matter_transition(matter=matter, action=Action.START, actor=None)
    assert "complete" in api("leader").get(f"{MATTERS}{matter.pk}/").json()["allowed_actions"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert f"/matters/{matter.pk}/act/complete/" in page


def test_the_back_office_create_page_offers_the_kinds_fields_and_stores_them() -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    page = client.get("/matters/new/?kind=trial").content.decode()
    assert 'name="kind-site"' in page and 'name="kind-households"' in page
    response = client.post(
        "/matters/new/?kind=trial",
        {"kind": "trial", "channel": "visit", "problem": "长宇社区试点", "kind-site": "长宇社区", "kind-households": "8"},
    )
    assert response.status_code == 302
    matter = Matter.objects.get(problem="长宇社区试点")
    assert matter.kind == "trial" and TrialDetail.objects.get(matter=matter).households == 8


def test_the_back_office_refuses_a_trial_without_its_fields_and_says_which() -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    response = client.post(
        "/matters/new/?kind=trial", {"kind": "trial", "channel": "visit", "problem": "长宇社区试点", "kind-site": ""}
    )
    assert response.status_code == 200
    assert not Matter.objects.filter(problem="长宇社区试点").exists()
    assert response.context["extra_form"].errors.keys() >= {"site", "households"}


def test_the_matter_page_shows_the_kinds_panel_and_the_list_its_columns() -> None:
    matter = _trial(households=33)
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert "Trial site" in page and "33 households" in page
    listing = client.get("/matters/?tab=all&kind=trial").content.decode()
    assert "<th scope=\"col\">Site</th>" in listing and "<td>卫王社区</td>" in listing
    plain = client.get("/matters/?tab=all").content.decode()
    assert "<th scope=\"col\">Site</th>" not in plain


def test_a_list_and_its_export_filtered_to_the_kind_carry_its_own_columns() -> None:
    import io

    import openpyxl

    from matters.exchange import exporter

    matter = _trial(households=21)
    _assigned(matter)
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    page = client.get("/matters/lists/?list=tasks&kind=trial").content.decode()
    assert ">Site<" in page and ">卫王社区<" in page
    out = io.BytesIO()
    exporter.export(exporter.ListSpec(list_kind="tasks", kind="trial"), "xlsx", out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if "Site" in row)
    body = rows[rows.index(header) + 1]
    assert body[header.index("Site")] == "卫王社区" and str(body[header.index("Households")]) == "21"
    plain = io.BytesIO()
    exporter.export(exporter.ListSpec(list_kind="tasks"), "xlsx", plain)
    assert "Site" not in [c.value for row in openpyxl.load_workbook(io.BytesIO(plain.getvalue())).active.iter_rows() for c in row]
