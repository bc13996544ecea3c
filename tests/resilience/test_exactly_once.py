"""Exactly once under concurrency: many client processes, idempotency keys, retries, racing transitions."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.resilience.conftest import Figures, NewInstance, server_workers
from tests.resilience.harness import CONTEXT, MATTERS, Burst, Instance, Job, Server, Tally, keys, request

CLIENTS = 8
EACH = 500  # 8 x 500 = 4,000 submissions
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Site:
    instance: Instance
    server: Server
    token: str


@pytest.fixture(scope="module")
def site(new_instance: NewInstance) -> Iterator[Site]:
    """One instance and server for the module; each test works on keys and matters of its own."""
    instance = new_instance("exactly_once")
    server = Server(instance, workers=server_workers())
    server.start()
    try:
        yield Site(instance, server, server.token())
    finally:
        server.stop()


def test_four_thousand_submissions_from_eight_processes_create_exactly_one_matter_per_key(
    site: Site, figures: Figures
) -> None:
    jobs = [
        Job(port=site.server.port, token=site.token, keys=chunk, timeout=5.0, impatient_every=20)
        for chunk in keys("once", CLIENTS, EACH)
    ]
    with Burst(jobs) as burst:
        outcomes = burst.outcomes(timeout=240)
    tally = Tally.of(outcomes, jobs, site.instance.rows_by_key("once-"))
    figures["exactly_once"] = {"processes": CLIENTS, **tally.figures(burst.seconds)}

    assert tally.submitted == CLIENTS * EACH
    assert not tally.unexpected, tally.unexpected[:5]
    assert not tally.unacked, f"{len(tally.unacked)} keys never acknowledged"
    assert tally.server_errors == 0, tally.statuses
    assert tally.duplicates == {}
    assert tally.lost == []
    assert tally.wrong_id == []
    assert tally.strays == []
    assert len(tally.acked) == CLIENTS * EACH
    # Every first attempt that timed out on purpose was retried and answered: by the matter it had created
    # meanwhile (200) or, when the retry overtook it, by the one the retry created (201).
    assert tally.impatient == CLIENTS * EACH // 20
    assert tally.failures["TimeoutError"] >= tally.impatient
    assert site.instance.audited_creations("once-") == CLIENTS * EACH
    assert "OK:" in site.instance.manage("verify_audit").stdout


def test_the_same_key_sent_by_eight_processes_at_once_creates_one_matter_and_one_201(
    site: Site, figures: Figures
) -> None:
    shared = tuple(f"race-{n}" for n in range(40))
    jobs = [Job(port=site.server.port, token=site.token, keys=shared, timeout=5.0) for _c in range(CLIENTS)]
    with Burst(jobs) as burst:
        outcomes = burst.outcomes(timeout=120)
    rows = site.instance.rows_by_key("race-")
    answers: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for out in outcomes:
        assert not out.unexpected and not out.unacked, (out.unexpected[:3], out.unacked[:3])
        assert all(status < 500 for status in out.statuses), out.statuses
        for key, answer in out.acked.items():
            answers[key].append(answer)
    figures["same_key_race"] = {
        "processes": CLIENTS,
        "keys": len(shared),
        "requests": CLIENTS * len(shared),
        "statuses": {str(k): v for k, v in sorted(sum((o.statuses for o in outcomes), Counter()).items())},
        "matters": sum(len(ids) for ids in rows.values()),
    }

    assert sorted(rows) == sorted(shared)
    assert all(len(ids) == 1 for ids in rows.values()), {k: v for k, v in rows.items() if len(v) > 1}
    for key, seen in answers.items():
        assert len(seen) == CLIENTS
        assert {pk for pk, _status in seen} == {rows[key][0]}, key
        assert sorted(status for _pk, status in seen) == [200] * (CLIENTS - 1) + [201], key


# Concurrent transitions: two clients act on the same matter at the same moment.

_barrier: Any = None


def _pair_init(barrier: Any) -> None:
    global _barrier
    _barrier = barrier


@dataclass(frozen=True)
class Moves:
    port: int
    token: str
    matters: tuple[int, ...]
    action: str
    language: str
    expected_status: bool


def _act_in_step(moves: Moves) -> list[tuple[int, int, str, str]]:
    """Take the action on each matter, meeting the other client at the barrier first: (matter, status, detail, lang)."""
    answers = []
    for pk in moves.matters:
        data: dict[str, str] = {"action": moves.action}
        if moves.action == "decline":
            data["reason"] = "重复反映"
        if moves.expected_status:
            data["expected_status"] = "reported"
        _barrier.wait(timeout=30)
        status, payload = request(
            moves.port,
            "POST",
            f"{MATTERS}{pk}/transitions/",
            json.dumps(data).encode(),
            {
                "Authorization": f"Token {moves.token}",
                "Content-Type": "application/json",
                "Accept-Language": moves.language,
            },
            timeout=30,
        )
        detail = json.loads(payload).get("detail", "") if status == 409 else ""
        answers.append((pk, status, str(detail), moves.language))
    return answers


def _new_matters(site: Site, count: int, prefix: str) -> list[int]:
    jobs = [Job(port=site.server.port, token=site.token, keys=tuple(f"{prefix}-{n}" for n in range(count)))]
    with Burst(jobs) as burst:
        (out,) = burst.outcomes(timeout=60)
    return [pk for pk, _status in out.acked.values()]


@pytest.mark.parametrize(
    ("first", "second", "expected_status"),
    [("accept", "decline", True), ("accept", "accept", False)],
    ids=["different-actions-with-expected-status", "same-action-without"],
)
def test_of_two_concurrent_transitions_one_wins_and_the_other_gets_a_translated_409(
    site: Site, figures: Figures, first: str, second: str, expected_status: bool
) -> None:
    matters = _new_matters(site, 30, f"pair-{first}-{second}")
    pairs = [
        Moves(site.server.port, site.token, tuple(matters), first, "en", expected_status),
        Moves(site.server.port, site.token, tuple(matters), second, "zh-hans", expected_status),
    ]
    with CONTEXT.Pool(2, initializer=_pair_init, initargs=(CONTEXT.Barrier(2),)) as pool:
        first_answers, second_answers = pool.map(_act_in_step, pairs, chunksize=1)
    statuses: Counter[int] = Counter()
    for pk, a, b in zip(matters, first_answers, second_answers, strict=True):
        assert a[0] == b[0] == pk
        statuses.update([a[1], b[1]])
        assert sorted([a[1], b[1]]) == [200, 409], (a, b)
        loser = a if a[1] == 409 else b
        winner_action = first if a[1] == 200 else second
        if loser[3] == "en":
            assert loser[2].startswith(("Someone else changed this matter first", "“Accept” is not possible")), loser
        else:
            assert CJK.search(loser[2]) and not re.search(r"[A-Za-z]{4}", loser[2]), loser
        history = site.instance.query(
            "SELECT action, from_status, to_status FROM matters_transition WHERE matter_id = %s ORDER BY id", [pk]
        )
        target = {"accept": "accepted", "decline": "declined"}[winner_action]
        assert history == [("", "", "reported"), (winner_action, "reported", target)]
        assert site.instance.query("SELECT status FROM matters_matter WHERE id = %s", [pk]) == [(target,)]
        events = site.instance.query(
            "SELECT action FROM audit_auditevent WHERE target_type = 'matters.matter' AND target_id = %s ORDER BY seq",
            [str(pk)],
        )
        assert events == [("matters.create",), (f"matters.{winner_action}",)]
    figures[f"transition_race_{first}_{second}"] = {
        "matters": len(matters),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }
    assert "OK:" in site.instance.manage("verify_audit").stdout
