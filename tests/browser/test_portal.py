"""In Chromium, as a resident: raise a problem and follow it, endorse, rate with a code, elder mode, English,
a phone-sized screen, and axe-core on every public page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from matters.models import Matter
from matters.services import matter_transition
from matters.tests.factories import matter_in
from portal import sms
from portal.models import Endorsement
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_page(browser, site):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide at a 375px screen"


def test_resident_raises_a_problem_on_a_phone_and_follows_it_by_its_code(phone_page, site) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    page.goto(site + "/report/")
    _no_sideways_scroll(page)
    page.select_option("#id_category", label="道路交通")
    page.fill("#id_description", "幸福路与长宇路交叉口的红绿灯坏了三天，早晚高峰很危险。")
    page.fill("#id_place", "幸福路与长宇路交叉口")
    screenshot(page, "portal-raise-phone")
    page.get_by_role("button", name=re.compile("提交")).click()
    page.wait_for_url("**/report/sent/")
    code = page.locator("#mq-tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", code)
    matter = Matter.objects.get(tracking_code=code)
    assert matter.channel == "portal" and matter.problem.startswith("幸福路")
    _no_sideways_scroll(page)

    page.goto(site + "/track/")
    page.fill("#id_code", code.lower())
    page.get_by_role("button", name=re.compile("查询")).click()
    page.wait_for_url(f"**/track/{code}/")
    assert "已反映" in page.content()
    matter_transition(matter=matter, action="accept", actor=None)
    page.reload()
    assert "已受理" in page.content()
    _no_sideways_scroll(page)


def test_similar_open_problems_are_suggested_while_typing_and_can_be_supported(phone_page, site) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    existing = matter_in("accepted", problem="长宇社区幸福小区门口路灯不亮，晚上出行不便。")
    page.goto(site + "/report/")
    page.locator("#id_description").press_sequentially("幸福小区门口的路灯坏了，晚上很黑", delay=10)
    suggestion = page.locator("#mq-similar").get_by_role("link", name=existing.code, exact=True)
    suggestion.wait_for()
    block = page.locator(f"#endorse-{existing.code}")
    assert block.get_by_role("link", name=re.compile("用手机号附议")).get_attribute("href") == (
        f"/m/{existing.code}/endorse/phone/"
    )
    block.get_by_role("button", name=re.compile("匿名支持")).click()
    block.get_by_text("已支持").wait_for()
    assert "另有匿名支持 1 次" in block.inner_text()
    _no_sideways_scroll(page)
    screenshot(page, "portal-raise-similar-phone")
    existing.refresh_from_db()
    assert existing.endorsement_count == 0  # anonymous support is counted apart
    assert Endorsement.objects.filter(matter=existing, kind="anonymous").count() == 1
    assert (
        Matter.objects.count() >= 1 and not Matter.objects.filter(problem__startswith="幸福小区门口的路灯坏了").exists()
    )


def test_resident_endorses_with_a_phone_or_supports_anonymously_on_a_phone_sized_screen(phone_page, site) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    matter = matter_in("in_progress")
    sms.outbox.clear()
    page.goto(f"{site}/m/{matter.code}/")
    _no_sideways_scroll(page)
    # htmx posts with the token the page carries: the CSRF cookie is HttpOnly, out of any script's reach
    assert "csrftoken" not in page.evaluate("document.cookie")
    page.get_by_role("button", name=re.compile("匿名支持")).click()
    page.get_by_text("已支持").first.wait_for()
    screenshot(page, "portal-endorse-phone-matter")
    page.get_by_role("link", name=re.compile("用手机号附议")).first.click()
    page.wait_for_url(f"**/m/{matter.code}/endorse/phone/")
    _no_sideways_scroll(page)
    page.fill("#id_ask-phone", "13900002222")
    page.get_by_role("button", name=re.compile("发送验证码")).click()
    page.get_by_text(re.compile("验证码已")).first.wait_for()
    phone, text = sms.outbox[-1]
    code = re.search(r"\d{6}", text)
    assert phone == "13900002222" and code is not None
    page.fill("input[name=endorse-code]", code.group())
    screenshot(page, "portal-endorse-phone-code")
    page.get_by_role("button", name=re.compile("附议（\\+1）")).click()
    page.wait_for_url(f"**/m/{matter.code}/")
    page.get_by_text(re.compile("感谢您的附议")).first.wait_for()
    _no_sideways_scroll(page)
    screenshot(page, "portal-endorse-phone-done")
    matter.refresh_from_db()
    assert matter.endorsement_count == 1
    assert Endorsement.objects.filter(matter=matter, kind="anonymous").count() == 1
    assert "13900002222" not in page.content()


def test_resident_rates_a_completed_matter_with_a_code_sent_by_text(page, site) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in("completed")
    sms.outbox.clear()
    page.goto(f"{site}/m/{matter.code}/")
    page.get_by_role("link", name=re.compile("评价")).first.click()
    page.wait_for_url(f"**/m/{matter.code}/rate/")
    page.fill("#id_ask-phone", "13900001111")
    page.get_by_role("button", name=re.compile("发送验证码")).click()
    page.get_by_text(re.compile("验证码已")).first.wait_for()
    phone, text = sms.outbox[-1]
    assert phone == "13900001111"
    code = re.search(r"\d{6}", text)
    assert code is not None
    page.fill("input[name=rate-code]", code.group())
    page.get_by_label("基本满意").check()
    page.fill("textarea[name=rate-comment]", "路修好了，希望再加几盏路灯。")
    page.get_by_role("button", name=re.compile("提交")).click()
    page.get_by_text(re.compile("感谢")).first.wait_for()
    matter.refresh_from_db()
    assert matter.rated_basically == 1
    assert "13900001111" not in page.content()
    screenshot(page, "portal-rated")


def test_elder_mode_enlarges_the_text_and_english_translates_the_portal(page, site) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/lists/tasks/")
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="长者版").click()
    page.wait_for_load_state()
    assert page.locator("body.mq-elder").count() == 1
    elder_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert elder_size >= 18 and elder_size > body_size
    assert axe_violations(page) == []
    screenshot(page, "portal-elder")
    with page.expect_navigation():
        page.select_option("#mq-lang", "en")
    assert page.locator("h1").inner_text().split() == ["Task", "list", "Live"]  # the live list, labelled as such
    assert page.get_by_role("button", name="Standard view").count() == 1


def _public_pages(site: str) -> list[str]:
    open_matter = matter_in("in_progress", problem="长宇社区健身器材损坏，需要维修更换。")
    done = matter_in("completed", problem="赵罗路路面破损，雨天积水严重。")
    return [
        "/",
        "/lists/problems/",
        "/lists/tasks/",
        "/lists/effects/",
        f"/m/{open_matter.code}/",
        f"/m/{open_matter.code}/endorse/phone/",
        f"/m/{done.code}/",
        f"/m/{done.code}/rate/",
        "/report/",
        "/track/",
        f"/track/{open_matter.tracking_code}/",
        "/login/",
    ]


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_no_public_page_has_serious_or_critical_accessibility_violations(browser, site, elder: bool) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    if elder:
        context.add_cookies([{"name": "mq_elder", "value": "1", "url": site}])
    page = context.new_page()
    found = {}
    for path in _public_pages(site):
        page.goto(site + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


def test_public_pages_fit_a_375px_screen(phone_page, site) -> None:  # type: ignore[no-untyped-def]
    for path in _public_pages(site):
        phone_page.goto(site + path)
        _no_sideways_scroll(phone_page)
    phone_page.goto(site + "/")
    screenshot(phone_page, "portal-home-phone")


def test_readme_screenshots_of_the_portal(page, site) -> None:  # type: ignore[no-untyped-def]
    matter = Matter.objects.filter(status="in_progress", is_public=True).order_by("code").first()
    assert matter is not None, "the demo has matters in progress"
    page.goto(site + "/")
    screenshot(page, "portal-home")
    page.goto(f"{site}/m/{matter.code}/")
    screenshot(page, "portal-matter")
    page.goto(site + "/lists/tasks/")
    screenshot(page, "portal-tasks")
