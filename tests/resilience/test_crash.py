"""Crash safety: the server is killed with SIGKILL in the middle of a submission burst, three times."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.resilience.conftest import Figures, NewInstance
from tests.resilience.harness import Burst, Instance, Job, Server, Tally, keys

CLIENTS = 8
EACH = 60  # 480 submissions
KILL_AFTER = (80, 200, 320)  # acknowledgements seen before each SIGKILL


@dataclass(frozen=True)
class Kill:
    at: float  # wall-clock time just before the signal
    found: frozenset[str]  # keys in the database right after it


def test_every_acknowledged_submission_survives_sigkill_of_the_server_mid_burst(
    new_instance: NewInstance, start_server: Callable[[Instance], Server], figures: Figures
) -> None:
    instance = new_instance("crash")
    server = start_server(instance)
    jobs = [
        Job(port=server.port, token=server.token(), keys=chunk, timeout=3.0, give_up_after=60)
        for chunk in keys("crash", CLIENTS, EACH)
    ]
    kills: list[Kill] = []
    with Burst(jobs) as burst:
        for threshold in KILL_AFTER:
            burst.wait_for(threshold, timeout=90)
            killed_at = time.time()
            server.kill()
            # The database exactly as the crash left it, before the server opens it again.
            problems = instance.integrity_problems()
            assert problems == [], problems
            kills.append(Kill(killed_at, frozenset(instance.rows_by_key("crash-"))))
            server.start()
        outcomes = burst.outcomes(timeout=120)
    rows = instance.rows_by_key("crash-")
    tally = Tally.of(outcomes, jobs, rows)

    acked_at = {key: at for out in outcomes for key, at in out.acked_at.items()}
    report = []
    for kill in kills:
        before = {key for key, at in acked_at.items() if at < kill.at}
        # Acknowledged before the kill means committed before the kill: all of it is there after.
        assert before <= kill.found, sorted(before - kill.found)[:5]
        report.append({"acknowledged_before_kill": len(before), "found_after_kill": len(kill.found)})
    figures["crash"] = {"processes": CLIENTS, "kills": server.kills, "per_kill": report, **tally.figures(burst.seconds)}

    assert server.kills == len(KILL_AFTER)
    assert not tally.unexpected, tally.unexpected[:5]
    assert not tally.unacked, f"{len(tally.unacked)} keys never acknowledged"
    assert tally.server_errors == 0, tally.statuses
    assert tally.duplicates == {}
    assert tally.lost == []
    assert tally.wrong_id == []
    assert len(tally.acked) == CLIENTS * EACH
    assert instance.audited_creations("crash-") == CLIENTS * EACH
    server.stop()
    assert instance.integrity_problems() == []
    assert "OK:" in instance.manage("verify_audit").stdout


def test_the_integrity_check_finds_rows_that_break_a_check_constraint_or_a_foreign_key(
    new_instance: NewInstance,
) -> None:
    """The check the crash test relies on is not blind: rows written past the constraints are reported."""
    instance = new_instance("broken", account=False)
    assert instance.integrity_problems() == []
    category = 'UPDATE matters_category SET "order" = -1 WHERE id = (SELECT MIN(id) FROM matters_category)'
    permission = "UPDATE auth_permission SET content_type_id = 999999 WHERE id = (SELECT MIN(id) FROM auth_permission)"
    if instance.sqlite_path is not None:
        with contextlib.closing(sqlite3.connect(instance.sqlite_path)) as db:
            db.execute("PRAGMA ignore_check_constraints = ON")  # foreign keys are off on a plain connection
            db.execute(category)
            db.execute(permission)
            db.commit()
    else:
        import psycopg

        with psycopg.connect(instance.pg_conninfo, autocommit=True) as db:
            name, definition = db.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = 'matters_category'::regclass AND contype = 'c'"
                " AND pg_get_constraintdef(oid) LIKE '%order%'"  # the category has other checks (its time limits)
            ).fetchone() or ("", "")
            db.execute(f'ALTER TABLE matters_category DROP CONSTRAINT "{name}"')  # type: ignore[arg-type]
            db.execute(category)  # type: ignore[arg-type]
            db.execute(f'ALTER TABLE matters_category ADD CONSTRAINT "{name}" {definition} NOT VALID')  # type: ignore[arg-type]
            db.execute("SET session_replication_role = replica")  # foreign keys are triggers: off for this session
            db.execute(permission)  # type: ignore[arg-type]
    problems = instance.integrity_problems()
    assert any("matters_category" in problem for problem in problems), problems
    assert any("auth_permission" in problem for problem in problems), problems
