"""Drive Debian's Chromium through Playwright against a live server with the demo data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _live_site(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A live server with the full demo, loaded once for every browser test: a load takes seconds, and each test
    works on records of its own. pytest-django's `live_server` would empty the database after every test (it
    makes the test transactional), so the browser tests run their own server. They use no database fixture, so
    pytest-django orders them after every test that does; the database is emptied when the session ends."""
    from django.contrib.auth.models import Group
    from pytest_django.live_server_helper import LiveServer

    from core.roles import Role

    with django_db_blocker.unblock():
        for role in Role:  # the groups of core's migration 0002, flushed by an earlier transactional test
            Group.objects.get_or_create(name=role)
        call_command("load_demo", "--shift-to-today", stdout=open(os.devnull, "w"))  # noqa: SIM115
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield str(server.url)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def site(_live_site: str, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The live site; a test may read and write the database itself too (no transaction to roll back:
    the server and the test see the same committed rows)."""
    with django_db_blocker.unblock():
        yield _live_site


@pytest.fixture
def page(browser, site):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
