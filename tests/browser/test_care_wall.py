"""In Chromium: the public wall of micro-wishes in standard and elder mode passes axe-core and fits a 375px screen;
a signed-in cadre claims a wish from it."""

from __future__ import annotations

from typing import Any

import pytest

from care.models import Wish, WishState
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_the_wall_has_no_serious_accessibility_violations_and_fits_a_375px_screen(
    browser: Any, site: str, elder: bool
) -> None:
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 812}):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        if elder:
            context.add_cookies([{"name": "mq_elder", "value": "1", "url": site}])
        page = context.new_page()
        page.goto(site + "/wishes/")
        assert "（演示）" in page.content()  # the demo's wishes are there
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"care-wall-{'elder' if elder else 'standard'}-{viewport['width']}")
        context.close()


def test_a_signed_in_cadre_sees_claim_buttons_and_claims_a_wish(page: Any, site: str) -> None:
    page.goto(f"{site}/login/")
    page.fill("#id_username", "cadre")
    page.fill("#id_password", "demo-pass-2026")
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url("**/workbench/")
    page.goto(site + "/wishes/")
    assert axe_violations(page) == []
    before = Wish.objects.filter(state=WishState.PUBLISHED).count()
    page.locator("button:has-text('认领')").first.click()
    page.wait_for_load_state()
    assert Wish.objects.filter(state=WishState.PUBLISHED).count() == before - 1
