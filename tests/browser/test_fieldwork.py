"""In Chromium on a phone: a cadre logs a visit with a problem found on it, then sees the week's duties."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from fieldwork.duties import week_of
from fieldwork.models import Visit
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser, site):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site}/login/")
    page.fill("#id_username", "cadre")
    page.fill("#id_password", "demo-pass-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/workbench/")
    yield page
    context.close()


def test_cadre_logs_a_visit_on_a_phone_with_a_problem_found_on_it(phone, site) -> None:  # type: ignore[no-untyped-def]
    page = phone
    before = Visit.objects.count()
    page.goto(site + "/fieldwork/visits/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The evening: clear of the demo's visits of the day (the demo is moved to run today, whatever today is).
    page.fill("#id_start_time", "19:00")
    page.fill("#id_end_time", "21:30")
    page.select_option("#id_kind", "governance")
    page.select_option("#id_place_kind", "community")
    page.select_option("#id_community", label="长宇社区")
    page.fill("#id_participants", "12")
    page.fill("#id_notes", "协助社区开展矛盾纠纷排查。")
    page.fill("#id_problem_1", "长宇社区3栋楼道灯坏了，老人夜间出行不便。")
    screenshot(page, "fieldwork-visit-phone")
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("保存")).click()
    page.wait_for_url(re.compile(r"/fieldwork/visits/\d+/$"))
    assert Visit.objects.count() == before + 1
    visit = Visit.objects.order_by("-id").first()
    assert visit is not None and str(visit.hours) == "2.5"
    matter = visit.matters.get()
    assert matter.channel == "visit" and "楼道灯" in matter.problem

    page.goto(f"{site}/fieldwork/my-week/?week={week_of(timezone.localdate())}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert "2.5" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "fieldwork-my-week-phone")
