"""Campaign texts follow the data (issue 14, point 5): no seed months in phase texts, the deadline from its date."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps

from campaigns import demo
from campaigns.models import Campaign, Phase

pytestmark = pytest.mark.usefixtures("demo")
MONTH_NOTE = r"[（(]\d{1,2}月"


def _seed() -> Campaign:
    return Campaign.objects.get(ref=demo.REF)


def test_the_seed_phases_carry_no_month_of_their_own() -> None:
    import re

    texts = [focus for _o, _n, _d, focus in demo.PHASES]
    assert texts and not [t for t in texts if re.search(MONTH_NOTE, t)]
    assert not [p.focus for p in _seed().phases.all() if re.search(MONTH_NOTE, p.focus)]


def test_the_migration_strips_the_seed_months_from_existing_installs() -> None:
    phases = list(_seed().phases.order_by("order"))
    old = [
        "召开动员会，全面启动（5月下旬）",
        "确保实事有进度有效果（6月底）",
        "化解一批矛盾纠纷 (10月底前)",
        "健全规章制度",
    ]
    for phase, text in zip(phases, old, strict=True):
        Phase.objects.filter(pk=phase.pk).update(focus=text)
    migration = importlib.import_module("campaigns.migrations.0002_phase_focus_without_seed_months")
    migration.strip_month_notes(apps, None)
    assert [p.focus for p in _seed().phases.order_by("order")] == [
        "召开动员会，全面启动",
        "确保实事有进度有效果",
        "化解一批矛盾纠纷",
        "健全规章制度",
    ]


def test_loading_the_demo_moved_in_time_rewrites_the_texts_and_shifts_the_deadlines() -> None:
    Phase.objects.filter(campaign=_seed(), order=1).update(focus="全面启动（5月下旬）")
    demo.load(shift_months=54)  # the seed's July 2022 becomes January 2027
    first = _seed().phases.get(order=1)
    assert first.focus == "结合实际制定实践活动方案，召开动员会，全面启动"
    assert first.ends_on == dt.date(2026, 11, 30)


@time_machine.travel(dt.datetime(2022, 7, 15, 4, tzinfo=dt.UTC), tick=False)
def test_each_phase_shows_its_deadline_from_its_date(client_as, client) -> None:  # type: ignore[no-untyped-def]
    page = client_as("cadre").get(f"/campaigns/{_seed().pk}/").content.decode()
    assert "完成时限：2022年5月31日" in page and "完成时限：2022年12月31日" in page
    assert "5月下旬" not in page
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "完成时限：2022年10月31日" in home
