"""In Chromium, over the demo (loaded with --shift-to-today): a published month's page, with its correction, in
standard and elder mode passes axe-core and fits a 375px screen; the demo's publications load idempotently."""

from __future__ import annotations

from typing import Any

import pytest

from core.plugins import DemoOptions
from oversight import demo_publication
from oversight.models.publication import Publication
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_a_published_month_has_no_serious_accessibility_violations_and_fits_a_375px_screen(
    browser: Any, site: str, elder: bool
) -> None:
    corrected = Publication.objects.filter(version=2).get()
    pages = [f"/published/{corrected.month_label}/", f"/published/{corrected.month_label}/v1/", "/published/"]
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 812}):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        if elder:
            context.add_cookies([{"name": "mq_elder", "value": "1", "url": site}])
        page = context.new_page()
        for path in pages:
            page.goto(site + path)
            assert "更正" in page.content()
            assert axe_violations(page) == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
        page.goto(site + pages[0])
        assert corrected.content_hash in page.content() and "查看实时清单" in page.content()
        screenshot(page, f"published-{'elder' if elder else 'standard'}-{viewport['width']}")
        context.close()


def test_the_demo_publishes_every_ended_month_once_and_corrects_one(site: str) -> None:
    before = list(Publication.objects.order_by("id").values_list("id", "content_hash"))
    assert Publication.objects.filter(version=2).count() == 1
    assert Publication.objects.filter(version=1).count() >= 1
    assert demo_publication.load(DemoOptions(full=True)) == ""
    assert list(Publication.objects.order_by("id").values_list("id", "content_hash")) == before


def test_the_demo_publishes_after_the_publics_ratings_so_its_snapshots_count_them(site: str) -> None:
    """Oversight's demo runs in load_demo's second pass (Plugin.demo_late), after the portal's ratings."""
    counted = [p.snapshot["figures"]["public_ratings"] for p in Publication.objects.filter(version=1)]
    assert max(counted) > 0
