"""Check the django-helpdesk peer end to end: venv, fill, serve, one list page of 20 rows, five creates.

Run with the main venv: ``.venv/bin/python bench/peer/selfcheck.py [--database-url URL] [--rows N]``
(SQLite in var/bench/ by default; for PostgreSQL pass postgresql://postgres@127.0.0.1:PORT/helpdesk_peer).
"""

import argparse
import json
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.peer import harness


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default_db = f"sqlite:///{harness.ROOT / 'var' / 'bench' / 'peer-selfcheck.sqlite3'}"
    parser.add_argument("--database-url", default=default_db)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()

    started = time.monotonic()
    harness.ensure_env(harness.ROOT)
    print(f"env ready in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    harness.prepare(args.database_url, args.rows)
    print(f"prepare({args.rows}) in {time.monotonic() - started:.1f} s")
    before = harness.ticket_count(args.database_url)
    if before != args.rows:
        print(f"FAIL: {before} tickets after prepare, expected {args.rows}")
        return 1

    with harness.serve(args.database_url, free_port()) as server:
        print(f"serving {server.base_url}: master {server.master_pid}, workers {server.pids}")
        spec = harness.list_spec(server.base_url)
        status, body = harness.fetch(server.base_url, spec)
        page = json.loads(body)
        rows = len(page["data"])
        print(f"list: {status}, {rows} rows of {page['recordsFiltered']} matching, {page['recordsTotal']} in all")
        if status != 200 or rows != harness.PAGE_SIZE:
            print("FAIL: the list did not return a full page")
            return 1
        create = harness.create_spec(server.base_url)
        statuses = [harness.fetch(server.base_url, create)[0] for _ in range(5)]
        print(f"create: {statuses}")
    after = harness.ticket_count(args.database_url)
    print(f"tickets: {before} -> {after}")
    if after - before != 5:
        print("FAIL: five creates did not make five tickets")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
