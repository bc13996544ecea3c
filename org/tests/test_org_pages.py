"""Back-office pages for the organisation: browse, edit with validation, private phones."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from org.models import ContactPoint, Person, TeamMembership, Unit

pytestmark = pytest.mark.usefixtures("demo")


def test_unit_tree_lists_the_park_with_its_departments_and_communities_beneath(client_as) -> None:  # type: ignore[no-untyped-def]
    html = client_as("cadre").get("/org/units/").content.decode()
    assert html.index(">中共湖北下陆长乐山工业园区委员会<") < html.index(">基建办<") < html.index(">长宇社区<")
    assert 'class="mq-depth-1"' in html


def test_unit_filter_by_kind(client_as) -> None:  # type: ignore[no-untyped-def]
    nodes = client_as("cadre").get("/org/units/?kind=community").context["nodes"]
    assert {n.unit.name for n in nodes} == {"长宇社区", "卫王社区"}


def test_work_teams_page_shows_members_and_duties_of_attachment_one(client_as) -> None:  # type: ignore[no-untyped-def]
    html = client_as("leader").get("/org/teams/").content.decode()
    for text in [
        "综合协调专班",
        "李永金",
        "陆露",
        "指导考核专班",
        "吕相阳",
        "作风监督专班",
        "占汉文",
        "接收移交的问题线索",
    ]:
        assert text in html


def test_coordinator_creates_a_unit_under_a_community(client_as) -> None:  # type: ignore[no-untyped-def]
    community = Unit.objects.get(name="卫王社区")
    response = client_as("coordinator").post(
        "/org/units/new/", {"name": "铜花新苑", "kind": "compound", "parent": community.pk, "order": 0}
    )
    unit = Unit.objects.get(name="铜花新苑")
    assert response.status_code == 302 and unit.parent == community
    assert AuditEvent.objects.filter(
        action="org.unit.create", actor_name="coordinator", target_id=str(unit.pk)
    ).exists()


def test_a_unit_cannot_be_moved_under_its_own_sub_unit(client_as) -> None:  # type: ignore[no-untyped-def]
    park = Unit.objects.get(ref="seed:park")
    community = Unit.objects.get(name="长宇社区")
    response = client_as("coordinator").post(
        f"/org/units/{park.pk}/edit/", {"name": park.name, "kind": park.kind, "parent": community.pk, "order": 0}
    )
    assert response.status_code == 200 and response.context["form"].errors
    park.refresh_from_db()
    assert park.parent is None


def test_editing_a_person_records_old_and_new_values(client_as) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.get(name="陆露")
    data = {"name": "陆露", "title": "综合协调专班成员", "unit": person.unit_id, "category": "cadre", "phone": ""}
    assert client_as("coordinator").post(f"/org/people/{person.pk}/edit/", data).status_code == 302
    event = AuditEvent.objects.get(action="org.person.update", target_id=str(person.pk))
    assert event.before == {"title": ""} and event.after == {"title": "综合协调专班成员"}


@pytest.mark.parametrize(
    "change",
    [{"phone": "12345"}, {"name": "", "name_incomplete": ""}, {"unit": "999999"}, {"category": "boss"}],
)
def test_bad_person_input_is_refused_and_changes_nothing(client_as, change) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.get(name="陆露")
    data = {"name": "陆露", "title": "", "unit": person.unit_id, "category": "cadre", "phone": "", **change}
    events = AuditEvent.objects.count()
    response = client_as("coordinator").post(f"/org/people/{person.pk}/edit/", data)
    assert response.status_code == 200 and response.context["form"].errors
    assert AuditEvent.objects.count() == events
    person.refresh_from_db()
    assert (person.name, person.phone) == ("陆露", "")


def test_phone_is_private_and_its_viewing_is_audited(client_as) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.get(name="杨立新")
    Person.objects.filter(pk=person.pk).update(phone="13900000001")
    cadre_page = client_as("cadre").get(f"/org/people/{person.pk}/").content.decode()
    assert "13900000001" not in cadre_page
    assert client_as("cadre").post(f"/org/people/{person.pk}/phone/").status_code == 403
    coordinator = client_as("coordinator")
    assert "13900000001" not in coordinator.get(f"/org/people/{person.pk}/").content.decode()
    assert "13900000001" in coordinator.post(f"/org/people/{person.pk}/phone/").content.decode()
    assert AuditEvent.objects.filter(action="org.person.view_phone", actor_name="coordinator").count() == 1


def test_coordinator_adds_and_removes_a_team_member(client_as) -> None:  # type: ignore[no-untyped-def]
    team = Unit.objects.get(name="作风监督专班")
    person = Person.objects.get(name="陆露")
    client = client_as("coordinator")
    client.post(f"/org/units/{team.pk}/members/", {"person": person.pk, "position": "member", "order": 5})
    membership = TeamMembership.objects.get(team=team, person=person)
    client.post(f"/org/members/{membership.pk}/remove/")
    assert not TeamMembership.objects.filter(team=team, person=person).exists()
    actions = list(AuditEvent.objects.filter(actor_name="coordinator").values_list("action", flat=True))
    assert sorted(actions) == ["org.team.member_add", "org.team.member_remove"]


def test_members_cannot_be_added_to_a_unit_that_is_not_a_work_team(client_as) -> None:  # type: ignore[no-untyped-def]
    office = Unit.objects.get(name="党政办")
    person = Person.objects.get(name="陆露")
    client_as("coordinator").post(f"/org/units/{office.pk}/members/", {"person": person.pk, "position": "member"})
    assert not TeamMembership.objects.filter(team=office).exists()


def test_contact_points_link_leaders_to_communities_and_party_building_points(client_as) -> None:  # type: ignore[no-untyped-def]
    html = client_as("leader").get("/org/contact-points/").content.decode()
    assert "长宇社区党群服务中心" in html and "卫王社区" in html
    leader = Person.objects.get(name="曾湛涛")
    client = client_as("coordinator")
    response = client.post("/org/contact-points/new/", {"leader": leader.pk, "kind": "party_building", "place": ""})
    assert response.status_code == 200 and response.context["form"].errors  # a point needs a target
    community = Unit.objects.get(name="卫王社区")
    client.post("/org/contact-points/new/", {"leader": leader.pk, "kind": "community", "unit": community.pk})
    point = ContactPoint.objects.get(leader=leader)
    client.post(f"/org/contact-points/{point.pk}/delete/")
    assert not ContactPoint.objects.filter(leader=leader).exists()
