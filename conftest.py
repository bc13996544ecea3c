"""Shared fixtures: the seed's demo data and one logged-in client per persona."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from core.roles import Role

# The demo accounts double as the named personas of the test suite.
PERSONAS = ["cadre", "handler", "leader", "coordinator", "assessor", "supervisor", "sysadmin", "secadmin", "auditor"]


def _load_demo() -> None:
    call_command("load_demo", shift_months=0, without_matters=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):  # type: ignore[no-untyped-def]
    """Create the test database and load the demo once into it: every test runs in a transaction rolled back over
    it. (pytest-django's own fixture sets up only the databases its collected tests name through its fixtures; the
    browser tests' live site uses the database without them, see tests/browser/conftest.py.)"""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=verbosity, interactive=False, aliases={"default": False})
        _load_demo()
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(databases, verbosity=verbosity)
        except Exception as exc:  # as pytest-django does: a thread of a server may still hold a connection
            request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (the home page's figures are cached for a minute)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the site's language: a request of an earlier test in English (a language cookie) leaves
    English active in the test's thread, as Django's locale middleware does not switch back after a response."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo(request: pytest.FixtureRequest, db: None) -> None:
    """The seed's organisation, campaign (2022 dates) and demo accounts; no matters, so tests start clean.

    Loaded once per session (see django_db_setup). A transactional test empties the database when it ends,
    so such tests load it again themselves (the loader is idempotent).
    """
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from django.contrib.auth.models import Group

        for role in Role:  # the groups of core's migration 0002, flushed with the rest by an earlier such test
            Group.objects.get_or_create(name=role)
        _load_demo()


@pytest.fixture
def resident(db: None):  # type: ignore[no-untyped-def]
    """A phone-verified resident account: no back-office access."""
    user = get_user_model().objects.create_user("resident", password="resident-pass-2026")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=Role.RESIDENT))
    return user


@pytest.fixture
def outsider(db: None):  # type: ignore[no-untyped-def]
    """An account with no role at all."""
    return get_user_model().objects.create_user("outsider", password="outsider-pass-2026")


@pytest.fixture
def client_as(demo: None, resident, outsider) -> Callable[[str | None], Client]:  # type: ignore[no-untyped-def]
    """`client_as("coordinator")` gives a client logged in as that persona; None gives an anonymous one."""

    def make(username: str | None) -> Client:
        client = Client()
        if username is not None:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


@pytest.fixture
def job_worker(transactional_db: None, demo: None):  # type: ignore[no-untyped-def]
    """One real huey consumer (a worker thread) on the test run's job store; the data are committed for it to see."""
    from core.tests.consumers import running_consumers

    with running_consumers() as consumers:
        yield consumers[0]


_FILE_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add each test's setup, call and teardown to its file's time (the slowest files are listed at the end)."""
    path = report.nodeid.split("::", 1)[0]
    _FILE_SECONDS[path] = _FILE_SECONDS.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The files that took longest: where the suite's 25-minute budget goes (SLOWEST_FILES=n lists n)."""
    import os

    count = int(os.environ.get("SLOWEST_FILES", "15"))
    slowest = sorted(_FILE_SECONDS.items(), key=lambda item: -item[1])[:count]
    if slowest and sum(_FILE_SECONDS.values()) > 60:
        terminalreporter.write_sep("-", "slowest test files (setup + call + teardown)")
        for path, seconds in slowest:
            terminalreporter.write_line(f"{seconds:8.1f} s  {path}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove this run's SQLite job store (minqing/settings_test.py names it after the process)."""
    import os

    from django.conf import settings

    filename = settings.HUEY.get("filename") if settings.configured and isinstance(settings.HUEY, dict) else None
    for suffix in ("", "-wal", "-shm"):
        if filename and os.path.exists(f"{filename}{suffix}"):
            os.remove(f"{filename}{suffix}")
