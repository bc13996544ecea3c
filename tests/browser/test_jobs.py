"""In Chromium: an export over the threshold becomes a job; its page polls the progress bar and offers the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.jobs.models import Job
from core.jobs.queue import huey
from core.tests.consumers import running_consumers
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_big_export_shows_its_progress_then_downloads_without_reloading_the_page(page, site, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOB_THRESHOLD_ROWS = 5  # the demo's tasks (the seed's 17 and the lines' own) are "a big list"
    huey.flush()
    page.goto(f"{site}/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "demo-pass-2026")
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url("**/workbench/")
    page.goto(f"{site}/matters/lists/?list=tasks")
    page.get_by_role("link", name="Excel (.xlsx)").click()
    page.wait_for_url("**/jobs/*/")
    job_url = page.url
    # No worker yet: the job waits, and its page says so.
    assert page.locator("[data-job-status]").get_attribute("data-job-status") == "queued"
    assert page.locator("progress#job-bar").count() == 1 and "等待后台处理" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "job-queued")

    with running_consumers(flush=False):  # the store was emptied before this test queued its job
        page.locator("[data-job-status=done]").wait_for(timeout=30_000)  # swapped in by htmx polling
    assert page.url == job_url
    assert page.locator("progress#job-bar").get_attribute("value") == "100"
    done = re.search(r"已完成 (\d+) / (\d+) 行", page.content())
    assert done is not None and done[1] == done[2] and int(done[1]) >= 17  # every row, the seed's 17 among them
    assert f"清单已生成：共 {done[1]} 行。" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "job-done")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 任务清单.xlsx").click()
    download = info.value
    assert download.suggested_filename == "任务清单.xlsx"
    path = download.path()
    assert path is not None and Path(path).read_bytes()[:2] == b"PK"  # an xlsx is a zip
    job_id = re.search(r"/jobs/([0-9a-f-]+)/", job_url)
    assert job_id is not None and Job.objects.get(pk=job_id[1]).owner.username == "coordinator"
