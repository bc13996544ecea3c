"""Back-office lists sort by their main columns, the order kept in the URL; public lists have a search box."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from matters.models import Matter
from matters.tests.factories import matter_in

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def spread() -> list[Matter]:
    """Five matters of different statuses, deadlines, units and report times (one without a deadline or unit)."""
    from org.models import Unit

    made = [matter_in(status) for status in ("in_progress", "assigned", "completed", "reported", "assigned")]
    units = list(Unit.objects.order_by("name")[:3])
    for i, (matter, day) in enumerate(zip(made, (20, 5, 28, None, 12), strict=True)):
        Matter.objects.filter(pk=matter.pk).update(
            deadline_last_day=dt.date(2026, 12, day) if day else None,
            reported_at=NOW - dt.timedelta(days=(i * 7) % 5 + 1),
        )
        if day:
            matter.units.set([units[i % 3]])
        else:
            matter.units.clear()
    return made


def _codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.code for m in response.context["page"]]


@time_machine.travel(NOW, tick=False)
def test_matter_list_sorts_by_deadline_both_ways_with_empty_deadlines_last(client_as, spread) -> None:  # type: ignore[no-untyped-def]
    client = client_as("assessor")
    up = client.get("/matters/?tab=all&sort=deadline")
    down = client.get("/matters/?tab=all&sort=-deadline")
    assert up.status_code == down.status_code == 200
    rows = {m.code: m for m in Matter.objects.all()}
    ups = [rows[c].deadline_last_day for c in _codes(up)]
    dated = [d for d in ups if d is not None]
    assert len(dated) == 4 and len(ups) == 5
    assert dated == sorted(dated) and ups[: len(dated)] == dated, "ascending, empties last"
    downs = [rows[c].deadline_last_day for c in _codes(down)]
    dated_down = [d for d in downs if d is not None]
    assert dated_down == sorted(dated_down, reverse=True) and downs[-1] is None, "descending, empties still last"


@time_machine.travel(NOW, tick=False)
def test_matter_list_sorts_by_reported_status_and_unit(client_as, spread) -> None:  # type: ignore[no-untyped-def]
    client = client_as("assessor")
    rows = {m.code: m for m in Matter.objects.prefetch_related("units")}
    reported = [rows[c].reported_at for c in _codes(client.get("/matters/?tab=all&sort=-reported"))]
    assert reported == sorted(reported, reverse=True)
    from matters.workflow import Status

    order = list(Status.values)
    statuses = [order.index(rows[c].status) for c in _codes(client.get("/matters/?tab=all&sort=status"))]
    assert statuses == sorted(statuses)
    firsts = [
        min((u.name for u in rows[c].units.all()), default=None)
        for c in _codes(client.get("/matters/?tab=all&sort=unit"))
    ]
    named = [n for n in firsts if n is not None]
    assert len(named) == 4 and len(set(statuses)) == 4
    assert named == sorted(named) and firsts[: len(named)] == named


@time_machine.travel(NOW, tick=False)
def test_sort_headers_link_to_the_order_and_pagination_keeps_search_and_sort(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("assessor")
    html = client.get("/matters/?tab=all&sort=deadline").content.decode()
    assert 'aria-sort="ascending"' in html
    assert "sort=-deadline" in html, "clicking the sorted column again reverses it"
    assert 'name="sort" value="deadline"' in html, "the filter form keeps the order"
    second = client.get("/matters/?tab=all&sort=-reported&q=%E8%B7%AF")  # 路
    if second.context["page"].has_next():
        assert "sort=-reported" in second.content.decode().split('class="pagination"')[1]
        assert "q=%E8%B7%AF" in second.content.decode().split('class="pagination"')[1]


@pytest.mark.parametrize("bad", ["password", "-", "--deadline", "id;drop", "x" * 500, "deadline\x00", "units__name"])
def test_unknown_sort_keys_are_ignored_and_the_default_order_stays(client_as, spread, bad: str) -> None:  # type: ignore[no-untyped-def]
    client = client_as("assessor")
    default = _codes(client.get("/matters/?tab=all"))
    response = client.get("/matters/", {"tab": "all", "sort": bad})
    assert response.status_code == 200
    assert _codes(response) == default


def test_public_lists_have_a_search_box_that_narrows_the_list(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(None)
    some = matter_in("assigned", problem="幸福路的路灯坏了")
    matter_in("in_progress", problem="河道有垃圾")
    page = client.get("/lists/tasks/")
    html = page.content.decode()
    assert 'type="search"' in html and 'name="q"' in html
    everything = page.context["page"].paginator.count
    found = client.get("/lists/tasks/", {"q": "路灯"})
    assert [m.code for m in found.context["page"]] == [some.code]
    assert 'value="路灯"' in found.content.decode(), "the box shows what was searched"
    assert found.context["page"].paginator.count < everything


@time_machine.travel(NOW, tick=False)
def test_back_office_task_list_page_sorts_by_deadline_and_keeps_the_park_order_by_default(client_as, spread) -> None:  # type: ignore[no-untyped-def]
    client = client_as("coordinator")
    default = client.get("/matters/lists/", {"list": "tasks"})
    assert default.status_code == 200
    park_order = [row["matter"].reported_at for row in default.context["rows"]]
    assert park_order == sorted(park_order), "the park's own order: as reported"
    by_deadline = client.get("/matters/lists/", {"list": "tasks", "sort": "-deadline"})
    days = [row["matter"].deadline_last_day for row in by_deadline.context["rows"]]
    dated = [d for d in days if d is not None]
    assert len(dated) >= 3 and dated == sorted(dated, reverse=True)
    html = by_deadline.content.decode()
    assert 'aria-sort="descending"' in html and 'name="sort" value="-deadline"' in html
    assert client.get("/matters/lists/", {"list": "tasks", "sort": "'; drop"}).status_code == 200
