"""The fuzz suite's shared machinery: Hypothesis settings, a rolled-back savepoint per case, row counts, a case counter.

Every generated case runs inside a savepoint that is rolled back afterwards, so the database each case sees is the
one the test set up, however many cases came before; the rows a case wrote are counted before the rollback.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.db.models import Model
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from core.models import AccountLock, LoginBlock
from fieldwork.models import Registration, RegistrationReport, Visit, VisitPhoto
from matters.models import Attachment, DeadlineEvent, Extension, Matter, ProgressReport, Transition
from notifications.models import Notification
from open311.models import ApiKey
from org.models import Person, Unit
from portal import sms
from portal.models import Endorsement, PhoneCode, Rating

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The last day of the seed's 2022 campaign, after every dated record of the demo: the fuzz suite's "now".
NOW = dt.datetime(2022, 12, 31, 10, 0, tzinfo=SHANGHAI)

# Generated cases per part of the suite ("api:cadre", "forms:raise", "importers:visits" …), for the summary
# and for the test that proves the API part reached its minimum.
GENERATED: Counter[str] = Counter()

# The tables where invalid input could end up; a refused request must leave every count as it was.
_TRACKED_MODELS: list[type[Model]] = [
    Matter,
    Transition,
    ProgressReport,
    Attachment,
    Extension,
    DeadlineEvent,
    Visit,
    VisitPhoto,
    Registration,
    RegistrationReport,
    Endorsement,
    Rating,
    PhoneCode,
    Notification,
    AuditEvent,
    AccountLock,
    LoginBlock,
    ApiKey,
    Person,
    Unit,
    get_user_model(),
]
TRACKED: dict[str, type[Model]] = {model.__name__: model for model in _TRACKED_MODELS}


# What people (and scripts) type into fields that were never meant for it.
NASTY = [
    "",
    " ",
    "\x00",
    "路灯\x00不亮",
    "\x01\x02\x1b[31m\x7f",
    "\t\r\n",
    "\u202e\u05d0\u05d1\u05d2 \u0645\u0631\u062d\u0628\u0627",
    "😀👍🏽🇨🇳",
    "\ufeff\u200b\u00a0",
    "<script>alert(1)</script>",
    "<b>粗体</b>",
    "&amp; &#60; &lt;",
    "javascript:alert(1)",
    "'; DROP TABLE matters_matter; --",
    "' OR '1'='1",
    "%s %(x)s {0} %n",
    "١٢٣٤٥",
    "²³¹",
    "𐩀𐩁",
    "１２３",
    "NaN",
    "-Infinity",
    "1e999999999",
    "-0",
    "9" * 40,
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "2022-02-30",
    "2022-13-01",
    "0000-00-00",
    "99:99",
]
# Text that a form should accept and keep as it is: any language, emoji, quotes, SQL, symbols (no markup, no NUL).
PLAIN = [
    "路灯不亮已有一周",
    "'; DROP TABLE matters_matter; --",
    'O\'Brien "quoted" 50% off',
    "😀👍🏽",
    "\u05e9\u05dc\u05d5\u05dd مرحبا",
    "١٢٣ ²³ １２３",
    "a > b",
    "Tom & Jerry",
    "\\ / | ~ ` ^",
]


def nasty_text() -> st.SearchStrategy[str]:
    """Strings meant to break things: control characters, markup, SQL, odd digits, huge values, wrong types."""
    pieces = st.one_of(st.sampled_from(NASTY), st.text(max_size=8))
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=40),
        st.lists(pieces, min_size=2, max_size=5).map("".join),
        st.builds(
            lambda piece, n: piece * n, st.sampled_from(["字", "a", "😀", "\x00", " ", "<"]), st.integers(1_000, 12_000)
        ),
        st.integers().map(str),
        st.floats().map(str),
        st.booleans().map(str),
    )


def plain_text(*, min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    """Text a form should accept and store exactly (after trimming the ends), within its length."""
    alphabet = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="<&")
    pieces = st.one_of(st.sampled_from(PLAIN), st.text(alphabet=alphabet, max_size=12))
    filler = "居民反映的问题描述"
    return (
        st.lists(pieces, min_size=1, max_size=6)
        .map("".join)
        .map(lambda text: text if len(text.strip()) >= min_size else text + filler * (1 + min_size // len(filler)))
        .map(lambda text: text[:max_size])
    )


def fuzzed(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A form's data: every field as a plausible value, or each one plausible, nasty, repeated or missing."""
    complete = st.fixed_dictionaries(fields)

    def any_value(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(strategy, nasty_text(), st.lists(st.one_of(strategy, nasty_text()), min_size=2, max_size=3))

    broken = st.fixed_dictionaries({}, optional={name: any_value(s) for name, s in fields.items()})
    return st.one_of(complete, broken)


def last(value: Any) -> Any:
    """What a form reads from a field sent several times: the last value."""
    return value[-1] if isinstance(value, list) else value


# FUZZ_SCALE=10 multiplies every example count and draws new cases on each run: a deeper, exploratory search
# (nightly, or before a release). Left at 1, runs are reproducible: the same cases on every machine.
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))


def fuzz_settings(max_examples: int) -> settings:
    """Bounded by the number of examples, never by a clock; the same cases on every run unless FUZZ_SCALE is set."""
    return settings(
        max_examples=max_examples * SCALE,
        deadline=None,
        derandomize=SCALE == 1,
        database=None,
        # A case is an HTTP request through Django, often with a workbook or an image: slower than Hypothesis expects.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def row_counts() -> dict[str, int]:
    """The number of rows of every tracked table, in one query (it runs twice per case)."""
    quote = connection.ops.quote_name
    # Table names from the models, never from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in TRACKED.values())  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return dict(zip(TRACKED, row, strict=True))


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint and undo whatever it wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def count_case(part: str, *, stored: bool = False) -> None:
    """Count a generated case; `stored` counts it again under "stored:", to show that valid input got through."""
    GENERATED[part] += 1
    if stored:
        GENERATED[f"stored:{part}"] += 1


def assert_unchanged(before: dict[str, int], *, allowed: frozenset[str] = frozenset(), context: str = "") -> None:
    """Nothing was stored: every tracked table has the rows it had (bar the tables a refusal writes on purpose)."""
    after = row_counts()
    changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert set(changed) <= allowed, f"refused input was stored: {changed} {context}"


@pytest.fixture(autouse=True)
def quiet_refusals() -> Iterator[None]:
    """Thousands of 4xx answers are the point here: log only server errors."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def media_root(tmp_path: Path) -> Iterator[Path]:
    """Uploaded evidence and photos go to a temporary directory, never to var/media."""
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


@pytest.fixture
def generous_limits() -> Iterator[None]:
    """Raise the portal's and the login's rate limits so that a throttle never masks what a form does with its input."""
    with override_settings(
        PORTAL_SUBMIT_LIMIT=1_000_000,
        PORTAL_ACTION_LIMIT=1_000_000,
        LOGIN_ADDRESS_LIMIT=1_000_000,
        LOGIN_RANGE_LIMIT=1_000_000,
    ):
        yield


@pytest.fixture(scope="session")
def wsgi_app() -> Iterator[WSGIHandler]:
    """The project's WSGI application, called in this thread: it shares the test's connection and transaction.

    Django's test client does the same: the handler would otherwise close the connection (and with it the
    test's transaction) when a request starts or ends.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not GENERATED:
        return
    terminalreporter.section("generated cases")
    parts: Counter[str] = Counter()
    for key, count in sorted(GENERATED.items()):
        terminalreporter.write_line(f"{key:<32} {count:>6}")
        parts[key.split(":", 1)[0]] += count
    for part, count in sorted(parts.items()):
        terminalreporter.write_line(f"{'total ' + part:<32} {count:>6}")

@pytest.fixture
def outbox() -> Iterator[list[tuple[str, str]]]:
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
