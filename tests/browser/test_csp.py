"""In Chromium with the Content Security Policy enforced: the main pages, their scripts at work (htmx swaps, the
figures chart and its tooltip, revealing a phone, the raise form's suggestions) and the API documentation run
without a single violation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from matters.models import Matter
from org.models import Person

pytestmark = pytest.mark.browser

# Recorded by the page itself: the browser fires `securitypolicyviolation` for everything the policy refuses.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Watch:
    """What one browser tab reports: policy violations (from the page and the console) and script errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text or "Refused to" in text:
            self.console.append(f"{self.page.url}: {text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), url
        self.page.wait_for_load_state("networkidle")
        self.check()

    def check(self) -> None:
        recorded = self.page.evaluate("window.__csp || []")
        problems = [f"{self.page.url}: {v}" for v in recorded] + self.console + self.errors
        assert not problems, "\n".join(problems)


@pytest.fixture
def watch(page: Any) -> Iterator[Watch]:
    yield Watch(page)


def _login(watch: Watch, site: str, username: str) -> None:
    watch.visit(f"{site}/login/")
    watch.page.fill("#id_username", username)
    watch.page.fill("#id_password", "demo-pass-2026")
    watch.page.click("button[type=submit]:has-text('登录')")
    watch.page.wait_for_url("**/workbench/")
    watch.check()


def test_the_public_pages_and_the_raise_forms_suggestions_run_without_a_policy_violation(
    watch: Watch, site: str
) -> None:
    public = Matter.objects.filter(is_public=True).exclude(status__in=["declined", "merged"]).order_by("id").first()
    assert public is not None
    for path in ["/", "/lists/problems/", "/lists/tasks/", "/lists/effects/", f"/m/{public.code}/", "/track/"]:
        watch.visit(site + path)
    watch.visit(site + "/report/")
    with watch.page.expect_response(lambda r: "/report/similar/" in r.url):  # htmx asks for similar problems
        watch.page.fill("#id_description", "赵罗路路面破损严重，下雨天积水，行人难以通过。")
    watch.page.wait_for_timeout(200)  # the swap
    watch.check()


def test_the_back_office_with_its_swaps_chart_and_phone_reveal_runs_without_a_policy_violation(
    watch: Watch, site: str
) -> None:
    _login(watch, site, "coordinator")
    matter = Matter.objects.filter(status="reported").order_by("id").first()
    assert matter is not None
    person = Person.objects.exclude(phone="").order_by("id").first() or Person.objects.order_by("id").first()
    assert person is not None
    Person.objects.filter(pk=person.pk).update(phone="13900000009")
    for path in ["/workbench/", "/matters/", "/matters/lists/", "/org/people/", "/inbox/", "/fieldwork/visits/new/"]:
        watch.visit(site + path)
    watch.visit(f"{site}/matters/?tab=all")
    with watch.page.expect_response(lambda r: "status=reported" in r.url):  # the filter swaps the table in
        watch.page.select_option("select[name=status]", "reported")
    watch.page.wait_for_timeout(200)
    watch.check()
    watch.visit(f"{site}/matters/{matter.pk}/")
    watch.page.locator("details summary", has_text="受理").first.click()
    with watch.page.expect_response(lambda r: f"/matters/{matter.pk}/act/" in r.url):  # an action through htmx
        watch.page.locator("details[open] button[type=submit]").first.click()
    watch.page.wait_for_selector("#matter-panel .alert")
    watch.check()
    # The figures of the demo's whole campaign (moved to run today), so that the chart has bars to point at.
    today = timezone.localdate()
    watch.visit(f"{site}/matters/figures/?from={today.year - 2}-01-01&to={today.year + 1}-12-31")
    chart = watch.page.locator("#rates-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None
    watch.page.mouse.move(box["x"] + box["width"] / 3, box["y"] + box["height"] / 2)  # the tooltip
    watch.page.wait_for_timeout(300)
    watch.check()
    watch.visit(f"{site}/org/people/{person.pk}/")
    with watch.page.expect_response(lambda r: r.url.endswith("/phone/")):
        watch.page.click("#phone button")
    watch.page.wait_for_selector("#phone .font-monospace")
    watch.check()


def test_the_api_documentation_renders_from_the_vendored_swagger_ui_without_a_policy_violation(
    watch: Watch, site: str
) -> None:
    _login(watch, site, "coordinator")
    watch.visit(f"{site}/api/v1/docs/")
    watch.page.wait_for_selector(".opblock", timeout=15_000)
    assert watch.page.locator(".opblock").count() > 10
    watch.page.locator(".opblock-summary", has_text="/api/v1/units/").first.click()  # expand an operation
    watch.page.wait_for_selector(".opblock.is-open")
    watch.page.locator(".opblock.is-open .try-out__btn").click()  # and call it, with the session's cookie
    with watch.page.expect_response(lambda r: "/api/v1/units/" in r.url and r.request.method == "GET") as call:
        watch.page.locator(".opblock.is-open .execute").click()
    assert call.value.status == 200
    watch.page.wait_for_selector(".opblock.is-open .responses-table .response-col_status")
    watch.check()
