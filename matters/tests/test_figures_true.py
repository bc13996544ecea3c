"""Figures that are true (issue 14, points 1 and 2): the public's satisfaction beside the callbacks', with the
number of ratings and a minimum below which no rate is shown; a response rate fair to matters still inside the
response window their category sets."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from matters.deadlines import handling_limit, response_due
from matters.figures import period_matters, rates
from matters.models import Category, Matter, Urgency
from matters.services import matter_create, matter_rating_counted, matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2021, 7, 20, 4, 0, tzinfo=dt.UTC)  # a Tuesday, noon in Shanghai
PERIOD = "?from=2021-07-01&to=2021-07-31"


def _rate(matter: Matter, satisfied: int = 0, basically: int = 0, dissatisfied: int = 0) -> None:
    for value, times in (("satisfied", satisfied), ("basically", basically), ("dissatisfied", dissatisfied)):
        for _i in range(times):
            matter_rating_counted(matter=matter, value=value)


@time_machine.travel(NOW, tick=False)
def test_public_satisfaction_counts_every_rating_of_the_completed_matters_and_callbacks_count_apart() -> None:
    closed = matter_in(Status.CLOSED)  # the leader's callback: satisfied
    _rate(closed, satisfied=1, dissatisfied=3)
    other = matter_in(Status.COMPLETED, problem="路灯不亮")
    _rate(other, basically=1, dissatisfied=1)
    unfinished = matter_in(Status.IN_PROGRESS, problem="未完成的事项")
    _rate(unfinished, satisfied=4)  # not completed: its ratings are not the period's verdict on completed work
    figures = rates(period_matters(dt.date(2021, 7, 1), dt.date(2021, 7, 31)))
    assert figures.public_ratings == 6
    assert figures.public_satisfaction == round(100 * 2 / 6, 1)  # 满意 1 + 基本满意 1 of 6: not 100%
    assert figures.callbacks == 1 and figures.callback_satisfaction is None


@time_machine.travel(NOW, tick=False)
def test_a_rate_over_fewer_ratings_than_the_minimum_says_so_instead_of_a_percentage(client_as, settings) -> None:  # type: ignore[no-untyped-def]
    closed = matter_in(Status.CLOSED)
    _rate(closed, satisfied=4)
    page = client_as("leader").get("/matters/figures/" + PERIOD).content.decode()
    assert "评价过少（4 条）" in page and "100.0%" not in page.split('id="mq-public-satisfaction"')[1][:80]
    settings.FIGURES_MIN_RATINGS = 4
    page = client_as("leader").get("/matters/figures/" + PERIOD).content.decode()
    assert page.split('id="mq-public-satisfaction">')[1].startswith("100.0%")
    assert "共 4 条评价" in page and "共 1 次回访" in page


@time_machine.travel(NOW, tick=False)
def test_the_per_unit_table_and_chart_show_both_satisfaction_rates(client_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FIGURES_MIN_RATINGS = 1
    closed = matter_in(Status.CLOSED)
    _rate(closed, satisfied=1, dissatisfied=1)
    response = client_as("leader").get("/matters/figures/" + PERIOD)
    units = {unit.name: r for unit, r in response.context["by_unit"]}
    assert (units["基建办"].public_satisfaction, units["基建办"].callback_satisfaction) == (50.0, 100.0)
    names = [s["name"] for s in response.context["chart"]["series"]]
    assert "群众满意率" in names and "回访满意率" in names


@time_machine.travel(NOW, tick=False)
def test_the_front_page_headline_is_the_public_satisfaction_rate_with_its_count(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FIGURES_MIN_RATINGS = 10**6
    cache.clear()
    from portal.services.figures import front_figures_refresh

    front_figures_refresh()  # the job's minute
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    headline = page.split('class="mq-card p-3 rounded h-100 mb-0 mq-headline"')[1]
    assert headline.index("群众满意率") < headline.index('id="mq-public-satisfaction"')
    assert "评价过少" in headline.split("</dd>")[0]
    assert "回访满意率" in page and "群众满意率" in page.split("mq-figures-note")[1]


@time_machine.travel(NOW, tick=False)
def test_a_matter_reported_minutes_ago_is_pending_not_a_miss() -> None:
    fresh, _c = matter_create(actor=None, problem="刚刚反映的问题", channel="hotline")
    figures = rates(Matter.objects.filter(pk=fresh.pk))
    assert (figures.response, figures.response_due, figures.response_pending) == (None, 0, 1)
    later = rates(Matter.objects.filter(pk=fresh.pk), now=timezone.now() + dt.timedelta(days=1, seconds=1))
    assert (later.response, later.response_due, later.response_pending) == (0.0, 1, 0)


@time_machine.travel(NOW, tick=False)
def test_a_matter_answered_inside_its_window_counts_at_once() -> None:
    fresh, _c = matter_create(actor=None, problem="很快受理的问题", channel="hotline")
    matter_transition(matter=fresh, action="accept", actor=None)
    figures = rates(Matter.objects.filter(pk=fresh.pk))
    assert (figures.response, figures.response_due, figures.response_pending) == (100.0, 1, 0)


@time_machine.travel(NOW, tick=False)
def test_the_default_response_window_is_one_working_day_over_the_weekend() -> None:
    friday = timezone.make_aware(dt.datetime(2021, 7, 23, 15, 0))
    assert response_due(friday, None) == timezone.make_aware(dt.datetime(2021, 7, 26, 15, 0))


@time_machine.travel(NOW, tick=False)
def test_each_category_sets_its_windows_with_hotline_defaults_per_urgency() -> None:
    emergency = Category.objects.create(code="t-gas-leak", name="燃气泄漏", urgency=Urgency.EMERGENCY)
    heating = Category.objects.create(code="t-heating", name="供暖", urgency=Urgency.UTILITIES)
    own = Category.objects.create(code="t-own", name="自定时限", response_hours=4, handling_hours=30 * 24)
    assert [handling_limit(c) for c in (emergency, heating, own, None)] == [
        dt.timedelta(hours=2),
        dt.timedelta(hours=24),
        dt.timedelta(days=30),
        dt.timedelta(days=7),
    ]
    assert handling_limit(Category(code="x", name="x", urgency=Urgency.COMPLEX)) == dt.timedelta(days=15)
    now = timezone.now()
    assert response_due(now, emergency) == now + dt.timedelta(hours=2)  # the handling limit is shorter
    assert response_due(now, own) == now + dt.timedelta(hours=4)
    matter, _c = matter_create(actor=None, problem="燃气管道泄漏", channel="hotline", category=emergency)
    assert matter.respond_by == now + dt.timedelta(hours=2)
    missed = rates(Matter.objects.filter(pk=matter.pk), now=now + dt.timedelta(hours=3))
    assert (missed.response, missed.response_pending) == (0.0, 0)
    matter.category = own
    matter.save(update_fields=["category"])
    matter.refresh_from_db()
    assert matter.respond_by == now + dt.timedelta(hours=4)


@time_machine.travel(NOW, tick=False)
def test_the_api_gives_both_satisfaction_rates_with_their_counts_overall_and_per_unit(client_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FIGURES_MIN_RATINGS = 2
    closed = matter_in(Status.CLOSED)
    _rate(closed, satisfied=1, dissatisfied=1)
    matter_create(actor=None, problem="刚刚反映的问题", channel="hotline")
    data = client_as("leader").get("/api/v1/matters/figures/?month=2021-07").json()
    assert (data["from"], data["to"], data["min_ratings"]) == ("2021-07-01", "2021-07-31", 2)
    overall = data["overall"]
    assert (overall["public_satisfaction"], overall["public_ratings"]) == (50.0, 2)
    assert (overall["callback_satisfaction"], overall["callbacks"]) == (None, 1)
    assert (overall["response"], overall["response_pending"]) == (100.0, 1)
    unit = next(u for u in data["units"] if u["unit"] == "基建办")
    assert unit["public_satisfaction"] == 50.0
    assert client_as("handler").get("/api/v1/matters/figures/").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_figures_export_has_both_satisfaction_rates_and_their_counts(client_as) -> None:  # type: ignore[no-untyped-def]
    closed = matter_in(Status.CLOSED)
    _rate(closed, satisfied=3)
    response = client_as("leader").get("/matters/figures/" + PERIOD + "&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[2:6] == ["群众满意率", "群众评价数", "回访满意率", "回访数"]
    overall = lines[1].split(",")
    assert overall[2:6] == ["", "3", "", "1"]  # too few ratings: no percentage, the counts stay


@time_machine.travel(NOW, tick=False)
def test_the_matter_page_shows_the_end_of_its_response_window_and_how_it_was_met(client_as) -> None:  # type: ignore[no-untyped-def]
    gas = Category.objects.create(code="t-gas", name="燃气", urgency=Urgency.EMERGENCY)
    matter, _c = matter_create(actor=None, problem="燃气管道泄漏", channel="hotline", category=gas)
    page = client_as("coordinator").get(f"/matters/{matter.pk}/").content.decode()
    assert 'data-response="pending"' in page and "紧急" in page
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        matter_transition(matter=matter, action="accept", actor=None)
        page = client_as("coordinator").get(f"/matters/{matter.pk}/").content.decode()
    assert 'data-response="late"' in page


def test_a_categorys_limits_are_set_from_the_command_line_audited_and_refused_when_malformed() -> None:
    import io

    from django.core.management import CommandError, call_command

    from audit.models import AuditEvent

    out = io.StringIO()
    call_command("category_limits", "--set", "safety", "--urgency", "emergency", "--response-hours", "1", stdout=out)
    safety = Category.objects.get(code="safety")
    assert (safety.urgency, safety.response_hours, handling_limit(safety)) == ("emergency", 1, dt.timedelta(hours=2))
    assert "safety" in out.getvalue() and AuditEvent.objects.filter(action="matters.category_limits").exists()
    call_command("category_limits", "--set", "safety", "--response-hours", "default", stdout=io.StringIO())
    assert Category.objects.get(code="safety").response_hours is None
    with pytest.raises(CommandError):
        call_command("category_limits", "--set", "safety", "--handling-hours", "soon", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("category_limits", "--set", "safety", "--handling-hours", "0", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("category_limits", "--set", "nosuch", stdout=io.StringIO())


@time_machine.travel(NOW, tick=False)
def test_assigning_starts_from_the_deadline_the_categorys_handling_limit_gives(client_as) -> None:  # type: ignore[no-untyped-def]
    complex_one = Category.objects.create(code="t-complex", name="疑难", urgency=Urgency.COMPLEX)
    general = matter_in(Status.ACCEPTED)
    hard = matter_in(Status.ACCEPTED, problem="疑难复杂问题", category=complex_one)
    for matter, days in ((general, 7), (hard, 15)):
        actions = dict(client_as("coordinator").get(f"/matters/{matter.pk}/").context["actions"])
        form = next(f for a, f in actions.items() if a == "assign")
        assert form.initial["deadline"] == dt.date(2021, 7, 20) + dt.timedelta(days=days)
