"""Tripartite linkage meetings over HTTP: recorded by the community's cadre, flagged when a side is missing,
refused when dated in the future; decisions become matters (livelihood, channel meeting) the page follows;
minutes as .docx; attendees' names only for the compound's staff."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine

from audit.models import AuditEvent
from compounds import services
from compounds.models import CompoundProfile, Decision, LinkageMeeting
from compounds.models.meetings import SIDES
from matters.models import Channel, Matter
from matters.workflow import Status
from org.models import Person, Unit

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 6, 15, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ATTENDEE = "业委会王某某（演示）"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _profile(name: str = "长宇新城") -> CompoundProfile:
    return CompoundProfile.objects.get(compound__name=name)


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "held_on": "2022-06-14",
        "place": "党群服务站",
        "party_attendees": "社区书记（演示）",
        "committee_attendees": ATTENDEE,
        "property_attendees": "物业经理（演示）",
        "topics_organisation": "交叉任职",
        "topics_affairs": "充电桩选址",
        "topics_disputes": "漏水纠纷",
        "topics_services": "物业评议",
        "decisions": "更换3栋楼道灯。\n增设充电桩。",
    }
    data.update(overrides)
    return data


def test_the_communitys_cadre_records_a_meeting_with_its_decisions(client_as: Any) -> None:
    response = client_as("cadre").post(f"/compounds/{_profile().pk}/meetings/new/", _form())
    meeting = LinkageMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/compounds/meetings/{meeting.pk}/"
    assert meeting.all_sides
    assert list(meeting.decisions.values_list("text", flat=True)) == ["更换3栋楼道灯。", "增设充电桩。"]
    assert ATTENDEE not in str(AuditEvent.objects.filter(action="compounds.meeting.create").values("after").get())


def test_a_meeting_without_the_property_company_is_recorded_and_flagged(client_as: Any) -> None:
    client = client_as("cadre")
    client.post(f"/compounds/{_profile().pk}/meetings/new/", _form(property_attendees=""))
    meeting = LinkageMeeting.objects.get()
    assert meeting.missing_sides == [str(SIDES[2][1])]
    page = client.get(f"/compounds/meetings/{meeting.pk}/").content.decode()
    assert "alert-warning" in page


def test_a_meeting_dated_in_the_future_is_refused_and_nothing_written(client_as: Any) -> None:
    response = client_as("cadre").post(f"/compounds/{_profile().pk}/meetings/new/", _form(held_on="2022-06-16"))
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"]
    assert not LinkageMeeting.objects.exists() and not Decision.objects.exists()


def test_a_cadre_of_another_community_may_not_record_a_meeting_there(client_as: Any) -> None:
    response = client_as("cadre").post(f"/compounds/{_profile('正信花园').pk}/meetings/new/", _form())
    assert response.status_code == 403
    assert not LinkageMeeting.objects.exists()


def _meeting() -> LinkageMeeting:
    return services.meeting_create(
        actor=None,
        profile=_profile(),
        held_on=dt.date(2022, 6, 14),
        party_attendees="书记（演示）",
        committee_attendees=ATTENDEE,
        decisions=["更换3栋楼道灯。"],
    )


def test_the_coordinator_makes_a_decision_a_matter_assigned_with_unit_lead_and_deadline(client_as: Any) -> None:
    decision = _meeting().decisions.get()
    unit, lead = Unit.objects.get(name="长宇社区"), Person.objects.get(name="杨立新")
    client = client_as("coordinator")
    response = client.post(
        f"/compounds/decisions/{decision.pk}/matter/",
        {"units": [unit.pk], "leads": [lead.pk], "deadline": "2022-07-31", "task": "更换灯具"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    matter = decision.matter
    assert matter is not None
    assert (matter.kind, matter.channel, matter.status) == ("livelihood", Channel.MEETING, Status.ASSIGNED)
    assert list(matter.units.all()) == [unit] and list(matter.leads.all()) == [lead]
    assert matter.deadline == dt.date(2022, 7, 31)
    page = client.get(f"/compounds/meetings/{decision.meeting_id}/").content.decode()
    assert matter.code in page and str(matter.get_status_display()) in page


def test_a_decision_is_made_a_matter_only_once(client_as: Any) -> None:
    decision = _meeting().decisions.get()
    data = {"units": [Unit.objects.get(name="长宇社区").pk], "deadline": "2022-07-31"}
    client = client_as("coordinator")
    client.post(f"/compounds/decisions/{decision.pk}/matter/", data)
    again = client.post(f"/compounds/decisions/{decision.pk}/matter/", data)
    assert again.status_code == 200
    assert Matter.objects.count() == 1


def test_a_cadre_cannot_assign_so_the_decision_stays_without_a_matter(client_as: Any) -> None:
    decision = _meeting().decisions.get()
    response = client_as("cadre").post(
        f"/compounds/decisions/{decision.pk}/matter/",
        {"units": [Unit.objects.get(name="长宇社区").pk], "deadline": "2022-07-31"},
    )
    assert response.status_code == 200
    assert not Matter.objects.exists()


def test_the_minutes_are_a_docx_with_names_only_for_the_compounds_staff(client_as: Any) -> None:
    meeting = _meeting()
    for persona, shown in (("cadre", True), ("assessor", False)):
        response = client_as(persona).get(f"/compounds/meetings/{meeting.pk}/minutes.docx")
        assert response.status_code == 200
        text = "\n".join(
            cell.text
            for table in docx.Document(io.BytesIO(b"".join(response.streaming_content))).tables
            for row in table.rows
            for cell in row.cells
        )
        assert "更换3栋楼道灯。" in text
        assert (ATTENDEE in text) is shown


def test_the_meeting_page_hides_attendees_names_from_other_roles(client_as: Any) -> None:
    meeting = _meeting()
    assert ATTENDEE in client_as("coordinator").get(f"/compounds/meetings/{meeting.pk}/").content.decode()
    assert ATTENDEE not in client_as("handler").get(f"/compounds/meetings/{meeting.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="compounds.meeting.view_private").count() == 1


def test_the_workbench_shows_meetings_missing_a_side_and_decisions_waiting_to_be_matters(client_as: Any) -> None:
    from django.contrib.auth import get_user_model

    from compounds.selectors import compound_work

    _meeting()  # no one from the property company; one decision
    users = get_user_model().objects
    cadre = [(str(i.label), i.count) for i in compound_work(users.get(username="cadre"))]
    coordinator = [(str(i.label), i.count) for i in compound_work(users.get(username="coordinator"))]
    assert [count for _label, count in cadre] == [1]
    assert [count for _label, count in coordinator] == [1, 1]
    assert compound_work(users.get(username="handler")) == []
    page = client_as("coordinator").get("/workbench/").content.decode()
    assert coordinator[1][0] in page
