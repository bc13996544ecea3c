"""Campaigns are data: the timeline shows the current phase, and a second campaign is configured in forms."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from audit.models import AuditEvent
from campaigns.models import Campaign, DutyRule, Phase
from campaigns.selectors import campaign_current, campaign_timeline
from org.models import Unit

pytestmark = pytest.mark.usefixtures("demo")


def _seed_campaign() -> Campaign:
    return Campaign.objects.get(ref="seed:campaign:2022")


def test_timeline_marks_done_current_and_upcoming_phases_for_a_day() -> None:
    states = [p.state for p in campaign_timeline(_seed_campaign(), on=dt.date(2022, 7, 15))]
    assert states == ["done", "done", "current", "upcoming"]
    first = campaign_timeline(_seed_campaign(), on=dt.date(2022, 5, 1))[0]
    assert first.state == "current" and first.starts_on == dt.date(2022, 5, 1)


def test_phase_boundaries_belong_to_the_phase_that_ends_that_day() -> None:
    on_deadline = campaign_timeline(_seed_campaign(), on=dt.date(2022, 6, 30))
    assert [p.state for p in on_deadline][:3] == ["done", "current", "upcoming"]
    next_day = campaign_timeline(_seed_campaign(), on=dt.date(2022, 7, 1))
    assert next_day[2].state == "current" and next_day[2].starts_on == dt.date(2022, 7, 1)


@time_machine.travel(dt.datetime(2022, 8, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_campaign_page_shows_the_timeline_with_the_current_phase(client_as) -> None:  # type: ignore[no-untyped-def]
    html = client_as("cadre").get(f"/campaigns/{_seed_campaign().pk}/").content.decode()
    current = html.index('aria-current="step"')
    assert html.index("持续深化阶段") > current > html.index("全面开展阶段")
    assert "每周至少20个小时" in html


@time_machine.travel(dt.datetime(2022, 8, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_front_page_answers_without_login_with_park_campaign_and_phase(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").content.decode()
    for text in [
        "中共湖北下陆长乐山工业园区委员会",
        "党员干部下基层察民情解民忧暖民心实践活动",
        "持续深化阶段",
        'href="/login/"',
    ]:
        assert text in html


def test_current_campaign_prefers_the_running_then_the_next_then_the_last() -> None:
    seed = _seed_campaign()
    assert campaign_current(on=dt.date(2022, 9, 1)) == seed
    assert campaign_current(on=dt.date(2021, 1, 1)) == seed
    assert campaign_current(on=dt.date(2030, 1, 1)) == seed


def test_coordinator_configures_a_second_campaign_without_code(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("coordinator")
    park = Unit.objects.get(ref="seed:park")
    response = client.post(
        "/campaigns/new/",
        {
            "name": "2023年民生实事",
            "organiser": park.pk,
            "starts_on": "2023-03-01",
            "ends_on": "2023-11-30",
            "goals": "办实事",
        },
    )
    campaign = Campaign.objects.get(name="2023年民生实事")
    assert response.status_code == 302
    client.post(f"/campaigns/{campaign.pk}/phases/new/", {"order": 1, "name": "启动", "ends_on": "2023-03-31"})
    client.post(f"/campaigns/{campaign.pk}/phases/new/", {"order": 2, "name": "推进", "ends_on": "2023-11-30"})
    client.post(
        f"/campaigns/{campaign.pk}/rules/new/",
        {"role": "cadre", "metric": "grassroots_hours", "threshold": "16", "period": "week"},
    )
    assert list(campaign.phases.values_list("name", flat=True)) == ["启动", "推进"]
    assert campaign.duty_rules.get().threshold == 16
    assert campaign_current(on=dt.date(2023, 6, 1)) == campaign
    assert AuditEvent.objects.filter(actor_name="coordinator", action__startswith="campaigns.").count() == 4


@pytest.mark.parametrize(
    ("ends_on", "order"),
    [("2021-12-31", 9), ("2023-01-31", 9), ("2022-06-15", 9), ("not-a-date", 9), ("2022-12-01", 1)],
)
def test_a_phase_outside_the_campaign_out_of_order_or_duplicated_is_refused(client_as, ends_on, order) -> None:  # type: ignore[no-untyped-def]
    campaign = _seed_campaign()
    before = list(Phase.objects.values_list("pk", "ends_on"))
    response = client_as("coordinator").post(
        f"/campaigns/{campaign.pk}/phases/new/", {"order": order, "name": "额外阶段", "ends_on": ends_on}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert list(Phase.objects.values_list("pk", "ends_on")) == before


def test_a_campaign_ending_before_it_starts_is_refused(client_as) -> None:  # type: ignore[no-untyped-def]
    park = Unit.objects.get(ref="seed:park")
    response = client_as("coordinator").post(
        "/campaigns/new/", {"name": "倒置", "organiser": park.pk, "starts_on": "2023-03-01", "ends_on": "2023-01-01"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Campaign.objects.filter(name="倒置").exists()


@pytest.mark.parametrize("threshold", ["0", "-1", "abc", "99999999"])
def test_a_rule_with_a_bad_threshold_is_refused(client_as, threshold) -> None:  # type: ignore[no-untyped-def]
    campaign = _seed_campaign()
    response = client_as("coordinator").post(
        f"/campaigns/{campaign.pk}/rules/new/",
        {"role": "cadre", "metric": "household_visits", "threshold": threshold, "period": "month"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert DutyRule.objects.filter(campaign=campaign).count() == 6


def test_the_same_rule_twice_is_refused(client_as) -> None:  # type: ignore[no-untyped-def]
    campaign = _seed_campaign()
    response = client_as("coordinator").post(
        f"/campaigns/{campaign.pk}/rules/new/",
        {"role": "leader", "metric": "field_days", "threshold": "2", "period": "week"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert DutyRule.objects.filter(campaign=campaign).count() == 6
