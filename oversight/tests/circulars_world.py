"""Shared pieces of the circulars tests: June 2031 and its planted records (two overdue matters of 基建办, one of 长宇社区,
one not yet due, one due on the period's last day), a moment after it, and a draft or issued circular over them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from matters.models import Matter
from matters.tests.test_deadlines import make_matter
from org.models import Unit
from oversight.models.circulars import Circular
from oversight.services import circulars as services
from oversight.tests.reviews_world import at

JUNE = (dt.date(2031, 6, 1), dt.date(2031, 6, 30))


@pytest.fixture
def july_2031() -> Any:
    """Time frozen on 3 July 2031, the services' messages in English."""
    with at("2031-07-03"), translation.override("en"):
        yield


@pytest.fixture
def overdue_june(demo: None, july_2031: None) -> dict[str, Any]:
    """The planted matters of June 2031: what the overdue circular must count, and what it must leave out."""
    jijian = Unit.objects.get(ref="seed:dept:jijian")
    changyu = Unit.objects.get(ref="seed:community:changyu")
    return {
        "jijian": jijian,
        "changyu": changyu,
        "late": [make_matter(deadline=dt.date(2031, 6, 10)), make_matter(deadline=dt.date(2031, 6, 20))],
        "late_changyu": make_matter(deadline=dt.date(2031, 6, 12), units=[changyu]),
        "on_the_day": make_matter(deadline=dt.date(2031, 6, 30)),
        "not_due": make_matter(deadline=dt.date(2031, 7, 20)),
    }


def draft(kind: str = "overdue", period: tuple[dt.date, dt.date] = JUNE) -> Circular:
    return services.circular_draft(actor=None, kind=kind, start=period[0], end=period[1], issuer="作风监督专班（演示）")


def issued(kind: str = "overdue") -> Circular:
    return services.circular_issue(actor=None, circular=draft(kind))


def codes(*matters: Matter) -> str:
    return "、".join(m.code for m in matters)


@pytest.fixture
def client_en(client_as: Any) -> Any:
    """`client_en("supervisor")`: a persona's client whose pages and API answer in English (the msgids)."""
    from django.conf import settings

    def make(username: str | None) -> Any:
        client = client_as(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make
