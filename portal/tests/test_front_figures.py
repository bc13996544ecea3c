"""The front page's figures are counted by a job every minute and kept for every server; no request counts them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from core.jobs.queue import huey
from matters.tests.factories import matter_in
from portal.models import FrontFigures
from portal.services.figures import front_figures_refresh
from portal.tasks import front_figures

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 7, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing, the seed's campaign running


def _counts(client: Client) -> dict[str, int]:
    return dict(client.get("/").context["headline"]["counts"])


@time_machine.travel(NOW, tick=False)
def test_a_request_shows_the_last_count_and_never_counts_itself() -> None:
    front_figures_refresh()
    before = _counts(Client())
    matter_in("accepted")
    cache.clear()  # another server, or this one after its 30 seconds: it reads the stored count, not the matters
    assert _counts(Client()) == before
    front_figures.work(now=NOW)  # the next minute's job
    after = _counts(Client())
    assert after["problems"] == before["problems"] + 1


@time_machine.travel(NOW, tick=False)
def test_the_page_says_when_the_figures_were_counted() -> None:
    front_figures_refresh()
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Counted at 2022-07-20 10:00." in page


@time_machine.travel(NOW, tick=False)
def test_a_new_site_says_the_figures_are_being_counted_and_asks_for_one_count() -> None:
    FrontFigures.objects.all().delete()
    cache.clear()
    huey.flush()
    first = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 200 and first.context["headline"] is None
    assert "The figures are being counted" in first.content.decode()
    Client().get("/", HTTP_ACCEPT_LANGUAGE="en")  # a second visitor in the same minute asks for nothing more
    asked = [task for task in huey.pending() if task.name == "portal.front_figures_now"]
    assert len(asked) == 1
    huey.flush()


@time_machine.travel(NOW, tick=False)
def test_the_minute_job_writes_one_row_per_campaign_and_updates_it() -> None:
    front_figures.work(now=NOW)
    front_figures.work(now=NOW + dt.timedelta(minutes=1))
    assert FrontFigures.objects.count() == 1
    assert FrontFigures.objects.get().computed_at == NOW + dt.timedelta(minutes=1)
