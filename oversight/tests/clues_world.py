"""Shared pieces of the clues tests: a moment in 2031 (the demo's own clue is of 2022), the supervision team's
account, the seed's people the clues name, and a clue brought to a state through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from org.models import Person
from oversight.models.clues import Clue, ClueSource
from oversight.services import clues as services
from oversight.tests.reviews_world import at

__all__ = ["at", "clue_in", "english", "july_2031"]

TEXT = "反映某社区干部入户走访只拍照不办事，走访记录雷同（测试）"


@pytest.fixture
def july_2031() -> Any:
    """Time frozen on Thursday 3 July 2031, 10:00 in Beijing; the language the requests switch to is put back after."""
    with at("2031-07-03"), translation.override(settings.LANGUAGE_CODE):
        yield


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def supervisor() -> Any:
    return get_user_model().objects.get(username="supervisor")


def cadre_person() -> Person:
    return Person.objects.get(ref="seed:person:yanglixin")


def clue_in(state: str, *, text: str = TEXT, source: str = ClueSource.STAFF, **create: Any) -> Clue:
    """A clue registered today and brought to `state` (registered, disposed, founded, unfounded)."""
    from django.utils import timezone

    clue = services.clue_create(actor=None, source=source, text=text, **create)
    if state == "registered":
        return clue
    today = timezone.localdate()
    clue = services.clue_dispose(actor=None, clue=clue, disposal="verify", on=today)
    if state == "disposed":
        return clue
    conclusion = {"founded": "founded", "partly": "partly", "unfounded": "unfounded"}[state]
    return services.clue_conclude(actor=None, clue=clue, conclusion=conclusion, findings="查实（测试）", on=today)


DAY = dt.date(2031, 7, 3)
