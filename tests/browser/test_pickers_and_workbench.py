"""In Chromium: choosing leads and units by typing a few characters (Tom Select), a month deadline, and the
workbench that lists what to do now, overdue first."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from matters.models import Matter, Precision
from matters.tests.factories import matter_in
from matters.workflow import Status
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot
from tests.browser.test_csp import Watch
from tests.browser.test_front_and_back_office import _login

pytestmark = pytest.mark.browser


def _wait_for(check, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the page did not save in time")
        time.sleep(0.2)


def test_coordinator_assigns_by_typing_names_and_units_and_a_month(page, site) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ACCEPTED, problem="长宇社区充电桩不够用，电动车乱拉电线。")
    watch = Watch(page)  # the widget runs under the Content Security Policy without a violation
    _login(page, site, "coordinator")
    page.wait_for_url("**/workbench/")
    page.goto(f"{site}/matters/{matter.pk}/")
    page.locator("details:has(form[action$='/act/assign/']) summary").click()
    form = page.locator("form[action$='/act/assign/']")
    leads = page.locator("#id_assign-leads-ts-control")
    leads.click()
    leads.type("吕相")
    page.locator(".ts-dropdown .option.active:has-text('吕相阳')").wait_for()
    leads.press("Enter")
    leads.press("Escape")
    units = page.locator("#id_assign-units-ts-control")
    units.click()
    units.type("社事")
    page.locator(".ts-dropdown .option.active:has-text('社事办')").wait_for()
    units.press("Enter")
    units.press("Escape")
    assert "吕相阳" in form.locator(".ts-wrapper").first.inner_text()
    form.locator("input[type=month]").fill("2027-03")
    watch.check()
    screenshot(page, "matter-assign-picker")
    form.locator("button[type=submit]").click()

    def assigned() -> bool:
        return Matter.objects.get(pk=matter.pk).status == Status.ASSIGNED

    _wait_for(assigned)
    page.wait_for_load_state("networkidle")
    watch.check()
    matter.refresh_from_db()
    assert [p.name for p in matter.leads.all()] == ["吕相阳"]
    assert [u.name for u in matter.units.all()] == ["社事办"]
    assert (matter.deadline, matter.deadline_precision) == (dt.date(2027, 3, 1), Precision.MONTH)


def test_without_javascript_the_pickers_are_plain_multiple_selects(browser, site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        matter = matter_in(Status.ACCEPTED)
        _login(page, site, "coordinator")
        page.goto(f"{site}/matters/{matter.pk}/")
        assert page.locator("select#id_assign-leads[multiple]").is_visible() is False  # inside a closed <details>
        page.locator("details:has(form[action$='/act/assign/']) summary").click()
        page.select_option("#id_assign-leads", label=page.locator("#id_assign-leads option").first.inner_text())
        assert page.locator(".ts-control").count() == 0
    finally:
        context.close()


def test_handler_workbench_lists_the_overdue_matter_first_and_leads_to_it(page, site) -> None:  # type: ignore[no-untyped-def]
    late = matter_in(Status.ASSIGNED, problem="幸福路排水沟堵塞，雨天积水。")
    past = timezone.localdate() - dt.timedelta(days=3)
    Matter.objects.filter(pk=late.pk).update(deadline=past, deadline_last_day=past)
    _login(page, site, "handler")
    page.wait_for_url("**/workbench/")
    first = page.locator("#mq-urgent li").first
    assert late.code in first.inner_text() and "已逾期" in first.inner_text()
    assert "角色：" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "workbench-handler")  # the README's picture of the workbench (docs/screenshots/)
    first.locator("a").click()
    page.wait_for_url(f"**/matters/{late.pk}/")
