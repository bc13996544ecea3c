"""Each role's first page says what to do now: to-dos with counts, the most urgent matters (overdue first),
a cadre's shortfall of the week; the page reads as Chinese is written (full-width colons, no empty "· ·")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fieldwork.tests.test_duties import visit
from matters.models import Matter
from matters.tests.factories import matter_in
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")
# Friday of 2022-W26, inside the seed's campaign; the factory's deadline (2022-07-31) is ahead.
NOW = dt.datetime(2022, 7, 1, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _overdue(matter: Matter, day: dt.date) -> Matter:
    Matter.objects.filter(pk=matter.pk).update(deadline=day, deadline_last_day=day)
    return Matter.objects.get(pk=matter.pk)


@time_machine.travel(NOW, tick=False)
def test_handler_workbench_lists_the_units_to_dos_with_the_overdue_matter_first(client_as) -> None:  # type: ignore[no-untyped-def]
    on_time = matter_in("assigned", problem="按期的事项：修补人行道")
    late = _overdue(matter_in("assigned", problem="逾期的事项：清理排水沟"), dt.date(2022, 6, 20))
    response = client_as("handler").get("/workbench/", **ZH)
    assert response.status_code == 200
    to_start = next(item for item in response.context["work"] if item.url.endswith("tab=unit&status=assigned"))
    assert to_start.count >= 2
    codes = [entry.label.split()[0] for entry in to_start.entries]
    assert codes.index(late.code) < codes.index(on_time.code), "overdue first"
    urgent = response.context["urgent"]
    assert urgent[0].label.startswith(late.code) and urgent[0].overdue
    html = response.content.decode()
    assert 'id="mq-urgent"' in html and late.code in html and "2022-06-20" in html
    assert response.context["work"][0].url.endswith("overdue=1"), "the overdue line comes first"


@time_machine.travel(NOW, tick=False)
def test_cadre_workbench_shows_this_weeks_shortfall_in_plain_words(client_as) -> None:  # type: ignore[no-untyped-def]
    cadre = Person.objects.get(user__username="cadre")
    visit(cadre, dt.date(2022, 6, 28), hours="4")
    response = client_as("cadre").get("/workbench/", **ZH)
    duty = next(item for item in response.context["work"] if item.url == "/fieldwork/my-week/")
    assert duty.count >= 1 and duty.urgent
    assert [(entry.label, entry.note) for entry in duty.entries] == [
        ("还需下沉基层 16 小时", "4/20 小时"),
        ("还需入户走访 1 户", "0/1 户"),
    ], "what is still missing in words, the value over the threshold beside it"
    assert str(duty.label) == "本周职责尚缺"
    html = response.content.decode()
    assert duty.entries[0].label in html


@time_machine.travel(NOW, tick=False)
def test_workbench_uses_full_width_colons_and_no_empty_title_between_dots(client_as) -> None:  # type: ignore[no-untyped-def]
    cadre = Person.objects.get(user__username="cadre")
    Person.objects.filter(pk=cadre.pk).update(title="")
    html = client_as("cadre").get("/workbench/", **ZH).content.decode()
    assert "角色：" in html and "角色:" not in html
    assert "当前阶段：" in html
    assert "·  ·" not in html and "· ·" not in html
    english = client_as("cadre").get("/workbench/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Roles: " in english


def test_language_menu_names_each_language_in_itself(client_as) -> None:  # type: ignore[no-untyped-def]
    for language in ("zh-hans", "en"):
        html = client_as(None).get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert ">English</option>" in html and ">简体中文</option>" in html, language
        assert ">英语<" not in html
        assert '"attributesToSettle": ["class", "width", "height"]' in html and "CSP holds" not in html


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", ["assessor", "supervisor"])
def test_the_checking_teams_see_what_is_late_across_the_park(client_as, username: str) -> None:  # type: ignore[no-untyped-def]
    late = _overdue(matter_in("in_progress", problem="逾期的事项：路灯维修"), dt.date(2022, 6, 10))
    response = client_as(username).get("/workbench/", **ZH)
    first = response.context["work"][0]
    assert first.url.endswith("overdue=1") and first.count >= 1
    assert response.context["urgent"][0].label.startswith(late.code)


@time_machine.travel(NOW, tick=False)
def test_public_front_page_uses_full_width_colon_and_brackets_in_chinese(client_as) -> None:  # type: ignore[no-untyped-def]
    html = client_as(None).get("/", **ZH).content.decode()
    assert "当前阶段：" in html and "当前阶段:" not in html
    assert "</strong>（截至 " in html and "(截至" not in html
    english = client_as(None).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Current phase: " in english and " (until " in english
