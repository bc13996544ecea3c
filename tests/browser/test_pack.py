"""In Chromium: the monthly pack page starts the job, polls the list until the pack is made, and offers both files."""

from __future__ import annotations

import pytest

from core.jobs.queue import huey
from core.tests.consumers import running_consumers
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_the_pack_page_shows_the_packs_progress_then_offers_the_word_file_and_the_pdf(page, site) -> None:  # type: ignore[no-untyped-def]
    huey.flush()
    page.goto(f"{site}/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "demo-pass-2026")
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url("**/workbench/")
    page.goto(f"{site}/oversight/pack/")
    assert axe_violations(page) == []
    page.click("button[type=submit]:has-text('生成汇报材料')")
    page.wait_for_url("**/oversight/pack/")
    assert page.locator("#packs progress").count() == 1  # no worker yet: the pack waits, its bar shows
    with running_consumers(flush=False):
        page.locator("#packs .badge:has-text('已生成')").wait_for(timeout=60_000)  # swapped in by htmx polling
    assert axe_violations(page) == []
    screenshot(page, "pack-ready")
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    assert info.value.suggested_filename.endswith(".pdf")
    assert info.value.suggested_filename.startswith("月度汇报材料_")
