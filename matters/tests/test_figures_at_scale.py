"""The rates in SQL and the full-text search, checked against plain Python over generated province data.

The benchmark generator (bench.generate) fills a few hundred matters of every status; each figure the
database computes must equal the one counted matter by matter, and each search must find exactly the
matters whose text contains the phrase.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import time_machine
from django.utils import timezone

from bench.generate import ANCHOR, Generator
from matters import search
from matters.deadlines import response_due
from matters.figures import Rates, _rates, period_matters, rates, rates_by_unit
from matters.models import Matter, Precision
from matters.selectors import MatterFilter, matters_filter
from matters.workflow import FINISHED, UNFINISHED, Status
from org.models import Unit, UnitKind

TODAY = ANCHOR.date()


@pytest.fixture
def province(demo: None) -> Generator:
    generator = Generator(600, seed=5)
    generator.organisation()
    generator.matters()
    return generator


def _by_hand(matters: list[Matter], today: dt.date) -> Rates:
    counts: defaultdict[str, int] = defaultdict(int)
    now = ANCHOR
    for m in matters:
        counts["reported"] += 1
        due = response_due(m.reported_at, m.category)
        firsts = [t for t in (m.accepted_at, m.declined_at) if t is not None]
        answered = bool(firsts) and min(firsts) <= due
        counts["responded"] += answered
        counts["response_due"] += answered or due <= now
        counts["taken_on"] += m.status not in {Status.REPORTED, Status.DECLINED}
        counts["finished"] += m.status in FINISHED
        counts["rated"] += m.status in FINISHED and m.satisfaction != ""
        counts["satisfied"] += m.status in FINISHED and m.satisfaction in {"satisfied", "basically"}
        if m.status in FINISHED:
            counts["public_ratings"] += m.ratings_total
            counts["public_satisfied"] += m.rated_satisfied + m.rated_basically
        counts["overdue_open"] += m.is_overdue(today)
        if m.status in FINISHED and m.due_on is not None and m.completed_at is not None:
            counts["due_finished"] += 1
            counts["on_time"] += timezone.localdate(m.completed_at) <= m.due_on
    return _rates(counts)


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def test_the_rates_of_each_unit_equal_the_rates_counted_matter_by_matter(province: Generator) -> None:
    start, end = _month(dt.date(2026, 6, 15))
    qs = period_matters(start, end)
    matters = list(qs.prefetch_related("units"))
    assert len(matters) > 20
    expected: dict[int, list[Matter]] = defaultdict(list)
    communities = set(Unit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True))
    for m in matters:
        linked = {u.pk for u in m.units.all()}
        for unit in linked | (communities if m.all_communities else set()):
            expected[unit].append(m)
    got = {unit.pk: r for unit, r in rates_by_unit(qs, today=TODAY, now=ANCHOR)}
    assert got == {unit: _by_hand(ms, TODAY) for unit, ms in expected.items()}
    assert rates(qs, today=TODAY, now=ANCHOR) == _by_hand(matters, TODAY)


def test_a_matter_for_all_communities_counts_once_even_for_a_community_it_names(province: Generator) -> None:
    start, end = _month(dt.date(2026, 6, 15))
    matter = period_matters(start, end).filter(status=Status.CLOSED).first()
    assert matter is not None
    community = Unit.objects.get(pk=province.communities[0])
    other = Unit.objects.get(pk=province.communities[1])
    matter.units.add(community)
    Matter.objects.filter(pk=matter.pk).update(all_communities=True)
    before = {u.pk: r.reported for u, r in rates_by_unit(period_matters(start, end).exclude(pk=matter.pk), today=TODAY)}
    after = {u.pk: r.reported for u, r in rates_by_unit(period_matters(start, end), today=TODAY)}
    assert after[community.pk] == before.get(community.pk, 0) + 1
    assert after[other.pk] == before.get(other.pk, 0) + 1


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_a_response_at_the_end_of_the_window_counts_and_one_a_second_later_does_not(demo: None) -> None:
    reported = timezone.now()  # a Monday: the window ends on Tuesday at the same time
    window = dt.timedelta(days=1)
    on_time = Matter(code="T-1", channel="api", problem="在时限内受理", reported_at=reported, accepted_at=reported + window)
    late = Matter(code="T-2", channel="api", problem="超过时限受理", reported_at=reported)
    late.declined_at = reported + window + dt.timedelta(seconds=1)
    late.status = Status.DECLINED
    on_time.save()
    late.save()
    assert on_time.respond_by == late.respond_by == reported + window
    assert (on_time.response_seconds, late.response_seconds) == (window.total_seconds(), window.total_seconds() + 1)
    assert rates(Matter.objects.filter(code__in=["T-1", "T-2"]), now=reported + 2 * window).response == 50.0


@time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC), tick=False)
def test_a_month_deadline_runs_to_its_last_day_for_on_time_and_overdue(demo: None) -> None:
    def matter(code: str, status: str, completed: dt.datetime | None) -> Matter:
        m = Matter(code=code, channel="api", problem="按月完成的任务", reported_at=timezone.now(), status=status)
        m.deadline, m.deadline_precision, m.completed_at = dt.date(2026, 6, 1), Precision.MONTH, completed
        m.save()
        return m

    last_evening = timezone.make_aware(dt.datetime(2026, 6, 30, 23, 30))
    next_morning = timezone.make_aware(dt.datetime(2026, 7, 1, 0, 30))
    matter("M-1", Status.COMPLETED, last_evening)
    matter("M-2", Status.COMPLETED, next_morning)
    open_one = matter("M-3", Status.IN_PROGRESS, None)
    assert open_one.deadline_last_day == dt.date(2026, 6, 30)
    figures = rates(Matter.objects.filter(code__in=["M-1", "M-2", "M-3"]), today=dt.date(2026, 7, 1))
    assert (figures.on_time, figures.overdue_open) == (50.0, 1)
    assert rates(Matter.objects.filter(code="M-3"), today=dt.date(2026, 6, 30)).overdue_open == 0


@time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
def test_saving_only_the_deadline_keeps_its_last_day_current(demo: None) -> None:
    m = Matter(code="D-1", channel="api", problem="只改期限", reported_at=timezone.now(), status=Status.ASSIGNED)
    m.save()
    m.deadline, m.deadline_precision = dt.date(2026, 2, 1), Precision.MONTH
    m.save(update_fields=["deadline", "deadline_precision"])
    m.refresh_from_db()
    assert m.deadline_last_day == dt.date(2026, 2, 28)
    assert Matter.objects.filter(pk=m.pk, status__in=UNFINISHED, deadline_last_day__lt=dt.date(2026, 3, 1)).exists()


# --- search ------------------------------------------------------------------------------------------------


def _containing(phrase: str) -> set[int]:
    fields = search.INDEXED_FIELDS
    return {
        pk
        for pk, *texts in Matter.objects.values_list("pk", *fields)
        if any(phrase.lower() in (t or "").lower() for t in texts)
    }


@pytest.mark.parametrize("phrase", ["路灯不亮", "占道经营", "下水道", "电梯", "噪音扰民", "灯", "楼", "街道", "经营。"])
def test_a_phrase_finds_exactly_the_matters_whose_text_contains_it(province: Generator, phrase: str) -> None:
    found = set(Matter.objects.filter(search.search_q(phrase)).values_list("pk", flat=True))
    expected = _containing(phrase.rstrip("。"))
    assert found == expected
    assert len(found) > 0


def test_every_term_must_be_present(province: Generator) -> None:
    found = set(Matter.objects.filter(search.search_q("路灯 小区")).values_list("pk", flat=True))
    assert found == _containing("路灯") & _containing("小区")


def test_a_code_is_found_whole_or_by_its_number(province: Generator) -> None:
    matter = Matter.objects.order_by("-pk").first()
    assert matter is not None
    assert list(Matter.objects.filter(search.search_q(matter.code)).values_list("pk", flat=True)) == [matter.pk]
    assert matter.pk in set(Matter.objects.filter(search.search_q(matter.code.split("-")[-1])).values_list("pk", flat=True))


def test_an_edited_matter_is_found_by_its_new_words_and_not_its_old_ones(province: Generator) -> None:
    matter = Matter.objects.filter(status=Status.IN_PROGRESS).first()
    assert matter is not None
    matter.task = "更换全部井盖并加装防坠网"
    matter.save(update_fields=["task"])
    assert list(Matter.objects.filter(search.search_q("防坠网")).values_list("pk", flat=True)) == [matter.pk]
    matter.task = ""
    matter.save()
    assert not Matter.objects.filter(search.search_q("防坠网")).exists()


@pytest.mark.parametrize("query", ["。，！", "   ", "\"'*^", "OR AND NOT", "NEAR(a b)"])
def test_punctuation_and_query_syntax_are_plain_text_never_errors(province: Generator, query: str) -> None:
    assert list(matters_filter(Matter.objects.all(), MatterFilter(q=query))[:5]) is not None


def test_the_index_is_rebuilt_from_the_matters(province: Generator) -> None:
    assert search.reindex() == Matter.objects.count()
    found = set(Matter.objects.filter(search.search_q("下水道")).values_list("pk", flat=True))
    assert found == _containing("下水道")


def test_generated_matters_carry_the_derived_fields_the_model_would_set(province: Generator) -> None:
    for matter in Matter.objects.filter(code__startswith="MQ-")[:200]:
        stored = (matter.deadline_last_day, matter.completed_on, matter.response_seconds)
        matter.derive()
        assert stored == (matter.deadline_last_day, matter.completed_on, matter.response_seconds), matter.code
