"""In Chromium: the front page, logging in, the back office, switching language, revealing a phone."""

from __future__ import annotations

import pytest

from org.models import Person
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _login(page, site: str, username: str, password: str = "demo-pass-2026") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('登录')")


def test_front_page_shows_the_park_the_campaign_and_its_current_phase_in_chinese(page, site) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "中共湖北下陆长乐山工业园区委员会"
    assert page.locator("[aria-current=step]").count() == 1
    assert "工作人员登录" in page.content()
    screenshot(page, "home")


def test_coordinator_logs_in_and_finds_the_work_teams(page, site) -> None:  # type: ignore[no-untyped-def]
    _login(page, site, "coordinator")
    page.wait_for_url("**/workbench/")
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("button", name="组织机构").click()
    nav.get_by_role("link", name="工作专班").click()
    page.wait_for_url("**/org/teams/")
    assert page.locator("text=李永金").count() >= 1
    assert "作风监督专班" in page.content() and "接收移交的问题线索" in page.content()
    screenshot(page, "teams")


@pytest.mark.parametrize("username", ["leader", "coordinator"])
def test_every_menu_label_and_button_of_the_top_bar_stays_on_one_line_at_1280px(page, site, username: str) -> None:  # type: ignore[no-untyped-def]
    """With many menu groups the entries wrap onto a second row; a label never breaks a character a line."""
    _login(page, site, username)
    page.wait_for_url("**/workbench/")
    heights = page.eval_on_selector_all(
        ".mq-navbar .nav-link, .mq-navbar .btn, .mq-navbar .navbar-text",
        "els => els.map(e => [e.innerText, e.getBoundingClientRect().height,"
        " parseFloat(getComputedStyle(e).lineHeight) + parseFloat(getComputedStyle(e).paddingTop)"
        " + parseFloat(getComputedStyle(e).paddingBottom) + 2])",
    )
    assert heights and [text for text, height, one_line in heights if height > one_line] == []


def test_wrong_password_shows_a_chinese_error(page, site) -> None:  # type: ignore[no-untyped-def]
    _login(page, site, "coordinator", "wrong-password")
    assert page.locator("[role=alert]").inner_text().strip() == "用户名或密码错误。"


def test_switching_to_english_translates_the_interface(page, site) -> None:  # type: ignore[no-untyped-def]
    _login(page, site, "leader")
    page.wait_for_url("**/workbench/")
    with page.expect_navigation():
        page.select_option("#mq-lang", "en")
    assert page.locator("h1").inner_text() == "My work"
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("#mq-lang", "zh-hans")
    assert page.locator("h1").inner_text() == "我的工作"


def test_coordinator_reveals_a_phone_without_a_page_reload(page, site) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.get(name="杨立新")
    Person.objects.filter(pk=person.pk).update(phone="13900000001")
    _login(page, site, "coordinator")
    page.wait_for_url("**/workbench/")
    page.goto(f"{site}/org/people/{person.pk}/")
    assert "13900000001" not in page.content()
    page.click("#phone button")
    page.wait_for_selector("#phone .font-monospace")
    assert page.locator("#phone").inner_text().strip() == "13900000001"
