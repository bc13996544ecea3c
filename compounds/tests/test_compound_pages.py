"""A compound's page and the API by role: everyone working sees the compound, only the teams and the community's
cadres its contacts, committee and votes (each view audited); policy talks recorded on the visit form; the demo."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent
from compounds import demo, selectors, services
from compounds.models import (
    Assessment,
    CompoundProfile,
    Decision,
    LinkageMeeting,
    OwnersVote,
    PolicyTalk,
    TalkPlace,
    TitleAward,
)
from fieldwork.models import PlaceKind, Visit, VisitKind
from matters.services import matter_create

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 6, 15, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MEMBER, PHONE = "长宇新城业委会甲（演示）", "13900000300"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _profile(name: str = "长宇新城") -> CompoundProfile:
    return CompoundProfile.objects.get(compound__name=name)


def test_the_seeds_compounds_have_profiles_with_invented_companies_and_committees() -> None:
    names = set(CompoundProfile.objects.values_list("compound__name", flat=True))
    assert {"长宇新城", "悦馨家园", "正信花园", "杨亦主小区", "一品铜花"} <= names
    profile = _profile()
    assert profile.property_company.endswith("（演示）") and profile.committee.count() == 3
    assert not _profile("杨亦主小区").has_property_company


@pytest.mark.parametrize(
    ("persona", "private"),
    [
        ("cadre", True),
        ("coordinator", True),
        ("supervisor", True),
        ("handler", False),
        ("assessor", False),
        ("leader", False),
    ],
)
def test_the_committee_and_contacts_show_only_to_the_compounds_staff(
    client_as: Any, persona: str, private: bool
) -> None:
    page = client_as(persona).get(f"/compounds/{_profile().pk}/").content.decode()
    assert "长宇物业服务有限公司（演示）" in page  # the company's name is not private
    assert (MEMBER in page, PHONE in page) == (private, private)
    assert AuditEvent.objects.filter(action="compounds.profile.view_private").exists() == private


def test_a_cadre_sees_no_private_parts_of_another_communitys_compound(client_as: Any) -> None:
    page = client_as("cadre").get(f"/compounds/{_profile('正信花园').pk}/").content.decode()
    assert "正信花园业委会甲（演示）" not in page


def test_the_compound_page_gathers_its_matters_on_a_plain_svg_plot(client_as: Any) -> None:
    matter, _ = matter_create(
        actor=None, problem="长宇新城3栋楼道灯不亮", latitude=Decimal("30.2"), longitude=Decimal("115.0")
    )
    services.meeting_create(actor=None, profile=_profile(), held_on=dt.date(2022, 6, 1), party_attendees="甲")
    page = client_as("leader").get(f"/compounds/{_profile().pk}/").content.decode()
    assert matter.code in page and "<svg" in page and "<circle" in page and "tile" not in page
    assert "Not all three sides" in page or "三方" in page


def _api(username: str) -> Client:
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(headers={"Authorization": f"Token {token.key}"})


def test_the_api_answers_private_fields_as_null_to_other_roles(demo: None) -> None:
    url = f"/api/v1/compounds/{_profile().pk}/"
    staff, other = _api("cadre").get(url).json(), _api("handler").get(url).json()
    assert PHONE in {m["phone"] for m in staff["committee"]} and staff["property_company_phone"]
    assert other["committee"] is None and other["property_company_phone"] is None
    assert other["property_company"] == staff["property_company"]
    assert Client().get(url).status_code in (401, 403)
    assert PHONE not in str([e.after for e in AuditEvent.objects.all()])


def test_the_api_lists_meetings_with_their_decisions_and_votes_only_for_the_staff() -> None:
    meeting = services.meeting_create(
        actor=None, profile=_profile(), held_on=dt.date(2022, 6, 1), committee_attendees=MEMBER, decisions=["换灯"]
    )
    staff = _api("coordinator").get("/api/v1/linkage-meetings/").json()
    row = next(r for r in staff["results"] if r["id"] == meeting.pk) if "results" in staff else staff[0]
    assert row["decisions"][0]["text"] == "换灯" and row["committee_attendees"] == MEMBER
    assert len(row["missing_sides"]) == 2
    other = _api("assessor").get(f"/api/v1/linkage-meetings/{meeting.pk}/").json()
    assert other["committee_attendees"] is None and other["votes"] is None
    schema = _api("coordinator").get("/api/v1/schema/").content.decode()
    assert "/api/v1/compounds/" in schema and "/api/v1/compound-scores/" in schema
    assert "Private: null unless" in schema  # the private fields are documented as such


def _talk_visit(**extra: Any) -> dict[str, Any]:
    return {
        "date": "2022-06-15",
        "hours": "2",
        "kind": VisitKind.POLICY_TALK,
        "place_kind": PlaceKind.COMPOUND,
        "compound": _profile().compound_id,
        "participants": "30",
        "notes": "宣讲惠民政策",
        **extra,
    }


def test_a_policy_talk_is_a_visit_with_its_place_speaker_topic_and_audience(client_as: Any) -> None:
    client = client_as("cadre")
    fields = {
        "compounds.talk-place": TalkPlace.COMPOUND,
        "compounds.talk-compound": _profile().pk,
        "compounds.talk-speaker": "宣讲员（演示）",
        "compounds.talk-topic": "养老保险政策",
        "compounds.talk-audience": "30",
    }
    response = client.post("/fieldwork/visits/new/", _talk_visit(**fields))
    assert response.status_code == 302, response.content.decode()[:400]
    talk = PolicyTalk.objects.get()
    assert (talk.visit.kind, talk.topic, talk.audience, talk.compound) == (
        VisitKind.POLICY_TALK,
        "养老保险政策",
        30,
        _profile(),
    )
    assert client.get(f"/fieldwork/visits/{talk.visit_id}/").content.decode().count("养老保险政策") >= 1
    figures = selectors.talk_figures()
    assert figures == [{"community": "长宇社区", "month": dt.date(2022, 6, 1), "talks": 1, "audience": 30}]
    assert "养老保险政策" in client.get(f"/compounds/{_profile().pk}/").content.decode()


def test_a_talk_in_a_compound_without_the_compound_is_refused_and_no_visit_stored(client_as: Any) -> None:
    before = Visit.objects.count()
    fields = {
        "compounds.talk-place": TalkPlace.COMPOUND,
        "compounds.talk-speaker": "宣讲员",
        "compounds.talk-topic": "政策",
        "compounds.talk-audience": "3",
    }
    assert client_as("cadre").post("/fieldwork/visits/new/", _talk_visit(**fields)).status_code == 200
    assert Visit.objects.count() == before and not PolicyTalk.objects.exists()


def _counts() -> tuple[int, ...]:
    models = (CompoundProfile, LinkageMeeting, Decision, OwnersVote, Assessment, TitleAward, PolicyTalk)
    return tuple(model.objects.count() for model in models)


def test_the_demo_loads_twice_without_adding_anything() -> None:
    with time_machine.travel(dt.datetime(2022, 7, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        demo.load(full=True)
        counts = _counts()
        demo.load(full=True)
    assert _counts() == counts
    assert counts[:6] == (5, 15, 30, 1, 5, 1)
    assert selectors.ranking(period="2022Q2")[0].rank == 1


PLANTED_NAME, PLANTED_PHONE = "植入委员甲（演示）", "13900000777"


@pytest.mark.parametrize("persona", ["handler", "assessor", "leader", "outsider", None])
def test_a_planted_committee_member_never_shows_to_other_roles_nor_in_the_audit_values(
    client_as: Any, persona: str | None
) -> None:
    profile = _profile()
    services.committee_member_add(
        actor=None,
        profile=profile,
        name=PLANTED_NAME,
        role="member",
        phone=PLANTED_PHONE,
        term_starts=dt.date(2022, 1, 1),
        term_ends=dt.date(2024, 12, 31),
    )
    meeting = services.meeting_create(
        actor=None, profile=profile, held_on=dt.date(2022, 6, 1), committee_attendees=PLANTED_NAME
    )
    client = client_as(persona)
    paths = [
        "/compounds/",
        f"/compounds/{profile.pk}/",
        f"/compounds/meetings/{meeting.pk}/",
        "/compounds/ranking/",
        f"/compounds/meetings/{meeting.pk}/minutes.docx",
    ]
    api = _api(persona) if persona is not None and persona != "outsider" else client
    answers = [client.get(path) for path in paths] + [
        api.get(path)
        for path in ("/api/v1/compounds/", f"/api/v1/compounds/{profile.pk}/", "/api/v1/linkage-meetings/")
    ]
    for response in answers:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            body = "".join(
                c.text for t in docx.Document(io.BytesIO(body)).tables for r in t.rows for c in r.cells
            ).encode()
        assert PLANTED_NAME.encode() not in body and PLANTED_PHONE.encode() not in body
    logged = str(list(AuditEvent.objects.values_list("before", "after", "target_label")))
    assert PLANTED_NAME not in logged and PLANTED_PHONE not in logged
