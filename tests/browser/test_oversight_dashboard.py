"""In Chromium: the oversight dashboard draws every chart (a canvas each, a PNG link once drawn) without a console
error, passes axe-core, and fits a 375px screen; a handler's dashboard is its unit's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _login(page: Any, site: str, username: str) -> None:
    page.goto(f"{site}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pass-2026")
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url("**/workbench/")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_dashboard_draws_its_charts_without_errors_and_passes_axe(browser: Any, site: str, width: int) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    _login(page, site, "leader")
    page.goto(site + "/oversight/dashboard/")
    page.wait_for_selector("#chart-rates_monthly canvas")
    page.wait_for_selector('.mq-dash-png[data-chart="rates_monthly"]:not([hidden])')
    charts = page.locator(".mq-dash-chart").count()
    assert charts >= 8
    assert page.locator(".mq-dash-chart canvas").count() >= charts
    href = page.get_attribute('.mq-dash-png[data-chart="raised_solved_weekly"]', "href") or ""
    assert href.startswith("data:image/png;base64,")
    assert page.locator("table caption").count() >= charts
    if width == 1280:
        with page.expect_download() as download:
            page.click('.mq-dash-png[data-chart="ratings"]')
        assert download.value.suggested_filename.startswith("dashboard-ratings-")
        assert download.value.suggested_filename.endswith(".png")
    assert errors == []
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"oversight-dashboard-{width}")
    context.close()


def test_the_period_filter_shows_the_inputs_of_its_kind_and_a_bad_one_says_why(page: Any, site: str) -> None:
    _login(page, site, "handler")
    page.goto(site + "/oversight/dashboard/?period=month&month=2022-13")
    assert "请按 2022-07 的格式填写月份。" in page.inner_text("#mq-dash-error")
    assert axe_violations(page) == []
    page.select_option("#d-period", "quarter")
    assert page.is_visible("#d-quarter") and not page.is_visible("#d-month")
    page.fill("#d-quarter", "2026-Q4")
    page.click("button[type=submit]:has-text('查询')")
    page.wait_for_selector("#chart-by_unit canvas")
    assert "基建办 ·" in page.inner_text("#mq-dash-scope")
    assert axe_violations(page) == []
    screenshot(page, "oversight-dashboard-handler")
