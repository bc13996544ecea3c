"""Backup while writes go on, restore into an empty instance: same data, a verified audit chain, a working site."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from tests.resilience.conftest import Figures, NewInstance
from tests.resilience.harness import MATTERS, Burst, Instance, Job, Server, Tally, keys, request

CLIENTS = 8
EACH = 40  # 320 submissions, the backup taken in the middle of them


def _backup(instance: Instance, directory: Path) -> tuple[Path, float]:
    started = time.monotonic()
    done = instance.manage("backup", "--dir", str(directory))
    path = Path(done.stdout.strip())
    assert path.parent == directory and path.is_file(), done.stdout
    return path, time.monotonic() - started


def test_a_backup_taken_while_writes_go_on_restores_into_an_empty_instance_with_a_verified_chain(
    new_instance: NewInstance,
    start_server: Callable[[Instance], Server],
    figures: Figures,
    tmp_path: Path,
) -> None:
    source = new_instance("backup_source")
    server = start_server(source)
    token = server.token()
    jobs = [Job(port=server.port, token=token, keys=chunk) for chunk in keys("backup", CLIENTS, EACH)]
    with Burst(jobs) as burst:
        burst.wait_for(EACH * CLIENTS // 4, timeout=60)
        began = time.time()
        acknowledged_at_start = burst.acknowledged
        live, live_seconds = _backup(source, tmp_path)
        acknowledged_at_end = burst.acknowledged
        outcomes = burst.outcomes(timeout=120)
    tally = Tally.of(outcomes, jobs, source.rows_by_key("backup-"))
    assert not tally.unexpected and not tally.unacked and not tally.duplicates and not tally.lost
    assert tally.server_errors == 0, tally.statuses
    assert acknowledged_at_end < CLIENTS * EACH, "the writes were over before the backup ended"

    # The backup taken under writes, into a new instance as installed (migrated, no account, no data).
    restored = new_instance("restored_live", account=False)
    answer = restored.manage("restore", str(live))
    assert "OK:" in answer.stdout
    rows = restored.rows_by_key("backup-")
    before = {key for out in outcomes for key, at in out.acked_at.items() if at < began}
    assert before <= set(rows), sorted(before - set(rows))[:5]
    assert all(len(ids) == 1 and rows[key][0] == tally.acked[key][0] for key, ids in rows.items())
    assert restored.audited_creations("backup-") == len(rows)
    assert restored.integrity_problems() == []

    # With the writes over, a second backup into a blank database: the same count in every table.
    quiet, _seconds = _backup(source, tmp_path)
    expected = source.table_counts()
    server.stop()
    blank = new_instance("restored_quiet", account=False, migrated=False)
    assert "OK:" in blank.manage("restore", str(quiet)).stdout
    assert blank.table_counts() == expected
    assert blank.integrity_problems() == []

    # The restored instance serves: a replayed key answers with its matter, a new key makes a new one.
    restored_server = start_server(blank)
    restored_token = restored_server.token()
    some = sorted(tally.acked)[:5]
    for key in [*some, "backup-after-restore"]:
        status, payload = request(
            restored_server.port,
            "POST",
            MATTERS,
            json.dumps({"problem": f"resilience {key}", "kind": "livelihood"}).encode(),
            {"Authorization": f"Token {restored_token}", "Content-Type": "application/json", "Idempotency-Key": key},
        )
        if key in tally.acked:
            assert (status, json.loads(payload)["id"]) == (200, tally.acked[key][0])
        else:
            assert status == 201, payload
    restored_server.stop()

    # A second restore over data is refused unless forced.
    refused = blank.manage("restore", str(live), check=False)
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert "OK:" in blank.manage("restore", str(live), "--force").stdout
    assert blank.rows_by_key("backup-") == rows

    figures["backup_restore"] = {
        "submissions": tally.submitted,
        "acknowledged_when_backup_began": acknowledged_at_start,
        "acknowledged_when_backup_ended": acknowledged_at_end,
        "matters_in_live_backup": len(rows),
        "live_backup_bytes": live.stat().st_size,
        "live_backup_seconds": round(live_seconds, 2),
        "quiet_backup_bytes": quiet.stat().st_size,
        "tables_compared": len(expected),
        "rows_compared": sum(expected.values()),
        "writes_seconds": round(burst.seconds, 2),
    }
