"""`load_demo` loads the seed's park, people, teams and campaign, and running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Model
from django.utils import translation

from audit.models import AuditEvent
from campaigns.models import Campaign, DutyRule
from campaigns.selectors import phase_current
from org.models import ContactPoint, Person, TeamMembership, Unit, UnitKind

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models: list[type[Model]] = [
        Unit,
        Person,
        TeamMembership,
        ContactPoint,
        Campaign,
        DutyRule,
        get_user_model(),
        AuditEvent,
    ]
    return {m.__name__: m._default_manager.count() for m in models}


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_demo_loader_is_idempotent() -> None:
    _load()
    first = _counts()
    _load()
    assert _counts() == first


def test_demo_loads_the_park_its_departments_communities_and_work_teams() -> None:
    _load()
    park = Unit.objects.get(name="中共湖北下陆长乐山工业园区委员会")
    assert park.kind == UnitKind.PARTY_COMMITTEE and park.parent is None
    departments = set(Unit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("name", flat=True))
    assert {"党政办", "政法办", "经济办", "社事办", "基建办"} <= departments
    communities = set(Unit.objects.filter(kind=UnitKind.COMMUNITY).values_list("name", flat=True))
    assert {"长宇社区", "卫王社区"} <= communities
    teams = Unit.objects.filter(kind=UnitKind.WORK_TEAM)
    assert {"综合协调专班", "指导考核专班", "作风监督专班"} <= set(teams.values_list("name", flat=True))
    assert "统筹协调" in teams.get(name="综合协调专班").duties
    assert "追责问责" in teams.get(name="作风监督专班").duties


def test_names_the_seed_lost_are_kept_as_written_and_marked_incomplete() -> None:
    _load()
    head = TeamMembership.objects.get(team__name="党史学习教育领导小组", position="head").person
    assert head.name == "熊" and head.name_incomplete
    assert head.title == "园区党委书记、常务副主任"
    nameless = Person.objects.get(ref="seed:person:deputy2")
    assert nameless.name == "" and nameless.name_incomplete
    with translation.override("en"):
        assert str(nameless) == "(name missing)"
    with translation.override("zh-hans"):
        assert str(head) == "熊（不全）"
    complete = Person.objects.get(name="杨立新")
    assert not complete.name_incomplete


def test_demo_accounts_have_one_role_each_and_are_linked_to_the_right_people() -> None:
    _load()
    users = get_user_model().objects.select_related("person__unit")
    assert users.get(username="leader").person.name == "杨立新"
    assert users.get(username="handler").person.unit.name == "基建办"
    assert users.get(username="cadre").person.unit.name == "长宇社区"
    memberships = {
        "coordinator": "综合协调专班",
        "supervisor": "作风监督专班",
        "assessor": "指导考核专班",
    }
    for username, team in memberships.items():
        person = users.get(username=username).person
        assert TeamMembership.objects.filter(person=person, team__name=team).exists(), username
    for user in users:
        assert list(user.groups.values_list("name", flat=True)) == [user.username]


def test_demo_accounts_use_the_demo_password(settings) -> None:  # type: ignore[no-untyped-def]
    _load()
    assert get_user_model().objects.get(username="coordinator").check_password(settings.DEMO_PASSWORD)


def test_without_shift_the_seed_dates_are_kept() -> None:
    _load()
    campaign = Campaign.objects.get()
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2022, 5, 1), dt.date(2022, 12, 31))
    deadlines = list(campaign.phases.order_by("order").values_list("ends_on", flat=True))
    assert deadlines == [dt.date(2022, 5, 31), dt.date(2022, 6, 30), dt.date(2022, 10, 31), dt.date(2022, 12, 31)]
    assert campaign.duty_rules.count() == 6


@time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), tick=False)
def test_shift_to_today_moves_dates_by_whole_months_so_the_campaign_runs_today() -> None:
    _load("--shift-to-today")
    campaign = Campaign.objects.get()
    assert campaign.starts_on == dt.date(2026, 9, 1)
    assert campaign.starts_on <= dt.date(2026, 11, 25) <= campaign.ends_on
    deadlines = list(campaign.phases.order_by("order").values_list("ends_on", flat=True))
    # Month ends stay month ends: 2022-10-31 + 52 months is the end of February 2027.
    assert deadlines == [dt.date(2026, 9, 30), dt.date(2026, 10, 31), dt.date(2027, 2, 28), dt.date(2027, 4, 30)]
    current = phase_current(campaign, on=dt.date(2026, 11, 25))
    assert current is not None and current.phase.name == "持续深化阶段"


def test_shifting_again_later_moves_the_same_campaign_without_duplicating() -> None:
    _load("--shift-months", "52")
    _load("--shift-months", "0")
    assert Campaign.objects.count() == 1
    assert Campaign.objects.get().starts_on == dt.date(2022, 5, 1)
