"""The benchmark's own tools: reading wrk's report, the load script, generated data a new matter continues."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from bench import load
from bench.generate import Generator, tracking_code
from bench.peer.harness import Spec
from matters.models import Matter
from matters.services import matter_create

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.21ms    1.02ms  20.11ms   90.00%
    Req/Sec   480.00     20.00   510.00     80.00%
  Latency Distribution
     50%    3.95ms
     75%    4.50ms
     90%    5.20ms
     99%  812.00us
  2400 requests in 5.00s, 10.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    479.80
Transfer/sec:      2.00MB
"""


def test_wrk_figures_are_read_in_milliseconds_with_failures_counted() -> None:
    assert load.parse(WRK_OUTPUT) == {"p50_ms": 3.95, "p99_ms": 0.81, "per_s": 479.8, "requests": 2400, "failures": 7}


def test_an_unreadable_report_is_an_error_not_a_zero() -> None:
    with pytest.raises(RuntimeError, match="could not read"):
        load.parse("wrk: connection refused")


def test_the_load_script_sends_each_request_in_turn_with_its_headers_and_body() -> None:
    script = load.script([Spec("GET", "/a/?q=1", {}), Spec("POST", "/b/", {"Authorization": "Token x"}, '{"k": "v"}')])
    assert 'wrk.format([==[POST]==], [==[/b/]==], {[ [==[Authorization]==] ] = [==[Token x]==]}, [==[{"k": "v"}]==])' in script
    assert "i = i % #reqs + 1" in script


def test_generated_tracking_codes_are_distinct() -> None:
    codes = {tracking_code(pk) for pk in range(1, 50_001)}
    assert len(codes) == 50_000 and all(len(c) == 8 for c in codes)


@time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), tick=False)
def test_a_matter_registered_after_the_generated_ones_takes_the_next_code(demo: None) -> None:
    generated = Generator(300, seed=11)
    generated.organisation()
    counts = generated.matters()
    assert counts["matter"] == 300 and counts["search"] == 300
    newest = Matter.objects.order_by("-pk").first()
    assert newest is not None
    matter, created = matter_create(actor=None, problem="生成数据之后登记的新问题，编号要接着排。")
    assert created and matter.code > newest.code.rsplit("-", 1)[0]
    assert not Matter.objects.exclude(pk=matter.pk).filter(code=matter.code).exists()


def test_the_benchmark_cluster_lives_outside_the_checkout_and_orphans_of_removed_checkouts_are_pruned(
    tmp_path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import tempfile

    from bench import run

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("BENCH_PGDATA", raising=False)
    own = run.cluster_dir()
    assert own.parent == tmp_path and run.ROOT not in own.parents  # the postgres user need not enter the checkout
    orphan, alive, foreign = (tmp_path / f"{run.CLUSTER_PREFIX}{name}" for name in ("orphan", "alive", "foreign"))
    for data in (own, orphan, alive, foreign):
        data.mkdir()
    (orphan / run.CHECKOUT_FILE).write_text(str(tmp_path / "removed-clone"))
    (alive / run.CHECKOUT_FILE).write_text(str(tmp_path))
    (own / run.CHECKOUT_FILE).write_text(str(tmp_path / "removed-too"))  # its own is never touched
    run.prune_orphan_clusters()
    assert not orphan.exists() and alive.exists() and own.exists() and foreign.exists()


def test_the_generator_writes_a_whole_small_data_set_including_the_visits(demo: None) -> None:
    """The smoke run generates 20,000 matters; a field added later without the generator knowing broke it once."""
    from fieldwork.models import Visit

    before = Visit.objects.count()
    generated = Generator(120, seed=3)
    generated.organisation()
    assert generated.matters()["matter"] == 120
    assert generated.visits() == 600
    assert Visit.objects.count() == before + 600
    assert not Visit.objects.filter(late_reason__gt="").exists()


def test_a_column_the_generator_does_not_name_takes_its_fields_default(db: None) -> None:
    from bench.generate import Writer
    from fieldwork.models import Visit

    named = [f.column for f in Visit._meta.concrete_fields if not f.primary_key and f.column != "late_reason"]
    writer = Writer("fieldwork_visit", named, Visit)
    assert writer.columns[-1] == "late_reason" and writer.constants == [""]


def test_a_required_column_without_a_default_the_generator_does_not_name_is_an_error_up_front(db: None) -> None:
    from bench.generate import Writer
    from fieldwork.models import Visit

    with pytest.raises(ValueError, match=r"fieldwork_visit\.date"):
        Writer("fieldwork_visit", ["person_id"], Visit)
