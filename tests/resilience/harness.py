"""Resilience: real gunicorn servers over loopback, clients in separate processes, fresh databases.

The test suite's own database is invisible to other processes, so these tests build their own
instances: a temporary SQLite file, or (when DATABASE_URL names a PostgreSQL cluster, as under
scripts/with-postgres.sh) a database of its own in that cluster. The schema is migrated once into a
template that every instance copies (conftest.py). Here: instances, servers, clients and their tally.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing
import multiprocessing.pool
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENGINE = "postgresql" if os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")) else "sqlite"
USERNAME = "resilience-coordinator"
PASSWORD = "Resilience-pass-2026"
MATTERS = "/api/v1/matters/"
# The clients are forked from the test process: cheap to start, and they touch no database.
CONTEXT = multiprocessing.get_context("fork")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Instance:
    """One deployment's database and environment; `manage` runs a command against it in a new process."""

    name: str
    workdir: Path
    env: dict[str, str]
    sqlite_path: Path | None = None
    pg_conninfo: str = ""

    def manage(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (%s placeholders) on a connection of our own, never the test suite's; return its rows."""
        if self.sqlite_path is not None:
            with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=30)) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.pg_conninfo, autocommit=True) as db:
            return db.execute(sql, params).fetchall()  # type: ignore[arg-type]  # our own literal SQL

    def rows_by_key(self, prefix: str) -> dict[str, list[int]]:
        """The ids of the matters created under each idempotency key that starts with `prefix`."""
        found: dict[str, list[int]] = {}
        rows = self.query(
            "SELECT idempotency_key, id FROM matters_matter WHERE idempotency_key LIKE %s ORDER BY id", [prefix + "%"]
        )
        for key, pk in rows:
            found.setdefault(str(key), []).append(int(pk))
        return found

    def audited_creations(self, prefix: str) -> int:
        """Matters under the key prefix with exactly one creation event in the audit log and one first step."""
        rows = self.query(
            "SELECT COUNT(*) FROM matters_matter m"
            " WHERE m.idempotency_key LIKE %s"
            " AND (SELECT COUNT(*) FROM audit_auditevent e WHERE e.action = 'matters.create'"
            "      AND e.target_type = 'matters.matter' AND e.target_id = CAST(m.id AS VARCHAR(20))) = 1"
            " AND (SELECT COUNT(*) FROM matters_transition t WHERE t.matter_id = m.id AND t.action = '') = 1",
            [prefix + "%"],
        )
        return int(rows[0][0])

    def tables(self) -> list[str]:
        if self.sqlite_path is not None:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        return [str(row[0]) for row in self.query(sql)]

    def table_counts(self) -> dict[str, int]:
        """Rows in every table: two instances with the same counts everywhere hold the same data set."""
        names = self.tables()
        if not names:
            return {}
        # Table names from the database's own catalogue, quoted.
        union = " UNION ALL ".join(f"SELECT '{name}', COUNT(*) FROM \"{name}\"" for name in names)  # noqa: S608
        return {str(name): int(count) for name, count in self.query(union)}

    def integrity_problems(self) -> list[str]:
        """What the engine's own checks find wrong with the database (empty when it is sound)."""
        if self.sqlite_path is not None:
            return _sqlite_problems(self.sqlite_path)
        return _postgresql_problems(self.pg_conninfo)


def _sqlite_problems(path: Path) -> list[str]:
    """PRAGMA integrity_check (pages, indexes against tables, UNIQUE, NOT NULL), foreign_key_check, CHECKs."""
    with contextlib.closing(sqlite3.connect(path, timeout=30)) as db:
        problems = [str(row[0]) for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in db.execute("PRAGMA foreign_key_check")]
        problems += _sqlite_check_constraints(db)
    return problems


def _sqlite_check_constraints(db: sqlite3.Connection) -> list[str]:
    """Copy every row of each table into a twin made from its own CREATE TABLE, in a transaction rolled back.

    SQLite 3.40's integrity_check does not look at CHECK constraints; inserting the rows again under the
    table's definition does (and at its UNIQUE constraints once more).
    """
    problems = []
    tables = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK%'").fetchall()
    db.execute("BEGIN")
    try:
        for name, sql in tables:
            head = f'CREATE TABLE "{name}"'
            if not str(sql).startswith(head):
                continue  # the full-text index's own tables
            db.execute(str(sql).replace(head, f'CREATE TEMP TABLE "twin_{name}"', 1))
            try:
                db.execute(f'INSERT INTO "twin_{name}" SELECT * FROM "{name}"')  # noqa: S608 - catalogue names
            except sqlite3.IntegrityError as exc:
                problems.append(f"table {name}: {exc}")
    finally:
        db.rollback()
    return problems


def _postgresql_problems(conninfo: str) -> list[str]:
    """amcheck on every B-tree index, then every constraint re-validated by PostgreSQL itself.

    bt_index_check(index, heapallindexed => true) checks each index's structure and that every row of
    its table is in it: a full read of every indexed table. It cannot see a duplicate under a unique
    index (checkunique comes in PostgreSQL 17) nor a row that breaks a CHECK or FOREIGN KEY constraint,
    so inside a transaction that is rolled back we rebuild each unique index (which refuses duplicates)
    and drop and re-add each CHECK and FOREIGN KEY constraint (which re-checks every row).
    """
    import psycopg

    problems: list[str] = []
    with psycopg.connect(conninfo, autocommit=True) as db:
        db.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = db.execute(
            "SELECT c.oid, c.relname, i.indisunique FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE am.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid ORDER BY c.relname"
        ).fetchall()
        for oid, name, _unique in indexes:
            try:
                db.execute("SELECT bt_index_check(%s, true)", (oid,))
            except psycopg.Error as exc:
                problems.append(f"amcheck {name}: {exc}")
        constraints = db.execute(
            "SELECT con.conrelid::regclass::text, con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con"
            " JOIN pg_namespace n ON n.oid = con.connamespace"
            " WHERE n.nspname = 'public' AND con.contype IN ('c', 'f') ORDER BY 1, 2"
        ).fetchall()
        with contextlib.suppress(_RolledBack), db.transaction():
            for _oid, name, unique in indexes:
                if unique:
                    problems += _in_savepoint(db, f"unique index {name}", f'REINDEX INDEX "{name}"')
            for table, name, definition in constraints:
                problems += _in_savepoint(
                    db,
                    f"constraint {name}",
                    f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
                    # Without NOT VALID, even for a constraint added NOT VALID: every row is checked.
                    f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition.removesuffix(" NOT VALID")}',
                )
            raise _RolledBack
    return problems


class _RolledBack(Exception):
    """Leave the re-validation transaction without keeping anything."""


def _in_savepoint(db: Any, what: str, *statements: str) -> list[str]:
    import psycopg

    try:
        with db.transaction():
            for statement in statements:
                db.execute(statement)
    except psycopg.Error as exc:
        return [f"{what}: {exc}"]
    return []


class Server:
    """gunicorn serving one instance on a loopback port; killed with SIGKILL, it can be started again."""

    def __init__(self, instance: Instance, *, workers: int) -> None:
        self.instance = instance
        self.workers = workers
        self.port = free_port()
        self.log = instance.workdir / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self, timeout: float = 30) -> None:
        assert self.process is None, "already running"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "minqing.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--no-control-socket",
                    "--preload",  # import Django once in the master: workers fork ready, restarts are quick
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                ],
                cwd=ROOT,
                env=self.instance.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: one signal reaches the master and every worker
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, _body = request(self.port, "GET", MATTERS, timeout=1)
            except OSError:
                time.sleep(0.05)
                continue
            if status == 401:  # Django answered: the workers are up
                return
        raise AssertionError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once, as a crash or an OOM kill would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None
        self.kills += 1

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def token(self) -> str:
        body = urlencode({"username": USERNAME, "password": PASSWORD}).encode()
        status, payload = request(
            self.port,
            "POST",
            "/api/v1/auth/token/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 200, payload
        return str(json.loads(payload)["token"])

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    timeout: float = 5,
    answer_timeout: float | None = None,
) -> tuple[int, bytes]:
    """One request on a connection of its own; network trouble is raised as OSError or HTTPException.

    `answer_timeout` is how long to wait for the answer once the request is sent (default: `timeout`).
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body, headers or {})
        if answer_timeout is not None and connection.sock is not None:
            connection.sock.settimeout(answer_timeout)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# Clients


@dataclass(frozen=True)
class Job:
    """What one client process submits: its keys, each retried with the same key until acknowledged."""

    port: int
    token: str
    keys: tuple[str, ...]
    timeout: float = 5.0  # seconds before the client gives up on an answer and sends again
    give_up_after: float = 90.0  # seconds of failures for one key before it is reported unacknowledged
    # Every n-th key's first attempt gives up 1 ms after sending: a client timeout while the server is still
    # working on it, so the retry races the first request.
    impatient_every: int = 0
    language: str = "zh-hans"


@dataclass
class Outcome:
    """What one client saw: acknowledged keys with the matter id and status, and every failure."""

    acked: dict[str, tuple[int, int]] = field(default_factory=dict)
    unacked: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    impatient: int = 0
    unexpected: list[str] = field(default_factory=list)
    acked_at: dict[str, float] = field(default_factory=dict)


_progress: Any = None  # a multiprocessing.Value shared by the clients: acknowledgements so far


def _client_init(progress: Any) -> None:
    global _progress
    _progress = progress
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def submit(job: Job) -> Outcome:
    """Submit every key of the job; retry on timeouts, connection errors and 5xx with the same key."""
    out = Outcome()
    headers = {
        "Authorization": f"Token {job.token}",
        "Content-Type": "application/json",
        "Accept-Language": job.language,
    }
    for number, key in enumerate(job.keys):
        body = json.dumps({"problem": f"resilience {key}", "kind": "livelihood"}).encode()
        keyed = {**headers, "Idempotency-Key": key}
        impatient = bool(job.impatient_every) and number % job.impatient_every == 0
        out.impatient += impatient
        attempts = 0
        failing_since = time.monotonic()
        while True:
            if attempts:
                out.retries += 1
                time.sleep(min(0.01 * 2 ** min(attempts, 6), 0.5))
            attempts += 1
            wait = 0.001 if impatient and attempts == 1 else job.timeout
            try:
                status, payload = request(
                    job.port, "POST", MATTERS, body, keyed, timeout=job.timeout, answer_timeout=wait
                )
            except (OSError, http.client.HTTPException) as exc:
                out.failures[type(exc).__name__] += 1
                if time.monotonic() - failing_since > job.give_up_after:
                    out.unacked.append(key)
                    break
                continue
            out.statuses[status] += 1
            if status in (200, 201):
                out.acked[key] = (int(json.loads(payload)["id"]), status)
                out.acked_at[key] = time.time()
                if _progress is not None:
                    with _progress.get_lock():
                        _progress.value += 1
                break
            if status >= 500 and time.monotonic() - failing_since <= job.give_up_after:
                continue
            out.unexpected.append(f"{key}: {status} {payload[:300]!r}")
            break
    return out


class Burst:
    """Client processes submitting in the background; `progress` counts acknowledgements as they come."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.jobs = list(jobs)
        self.progress = CONTEXT.Value("i", 0)
        self.pool: multiprocessing.pool.Pool | None = None
        self.result: Any = None
        self.started = 0.0
        self.seconds = 0.0

    def __enter__(self) -> Burst:
        self.pool = CONTEXT.Pool(len(self.jobs), initializer=_client_init, initargs=(self.progress,))
        self.started = time.monotonic()
        self.result = self.pool.map_async(submit, self.jobs, chunksize=1)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.pool is not None
        self.pool.terminate()
        self.pool.join()

    @property
    def acknowledged(self) -> int:
        return int(self.progress.value)

    def wait_for(self, acknowledged: int, timeout: float) -> None:
        """Block until the clients have this many acknowledgements (or have all finished)."""
        deadline = time.monotonic() + timeout
        while self.acknowledged < acknowledged and not self.result.ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"only {self.acknowledged} of {acknowledged} acknowledged after {timeout} s")
            time.sleep(0.02)

    def outcomes(self, timeout: float) -> list[Outcome]:
        outcomes: list[Outcome] = self.result.get(timeout=timeout)
        self.seconds = time.monotonic() - self.started
        return outcomes


@dataclass
class Tally:
    """The clients' outcomes added up and compared with what the database holds."""

    submitted: int
    acked: dict[str, tuple[int, int]]
    unacked: list[str]
    unexpected: list[str]
    statuses: Counter[int]
    failures: Counter[str]
    retries: int
    impatient: int
    duplicates: dict[str, list[int]]
    lost: list[str]
    wrong_id: list[str]
    strays: list[str]

    @classmethod
    def of(cls, outcomes: Sequence[Outcome], jobs: Sequence[Job], rows: dict[str, list[int]]) -> Tally:
        acked: dict[str, tuple[int, int]] = {}
        statuses: Counter[int] = Counter()
        failures: Counter[str] = Counter()
        for out in outcomes:
            acked.update(out.acked)
            statuses.update(out.statuses)
            failures.update(out.failures)
        submitted = {key for job in jobs for key in job.keys}
        return cls(
            submitted=len(submitted),
            acked=acked,
            unacked=[key for out in outcomes for key in out.unacked],
            unexpected=[text for out in outcomes for text in out.unexpected],
            statuses=statuses,
            failures=failures,
            retries=sum(out.retries for out in outcomes),
            impatient=sum(out.impatient for out in outcomes),
            duplicates={key: ids for key, ids in rows.items() if len(ids) > 1},
            lost=sorted(key for key in acked if key not in rows),
            wrong_id=sorted(key for key, (pk, _s) in acked.items() if key in rows and rows[key][0] != pk),
            strays=sorted(key for key in rows if key not in submitted),
        )

    @property
    def server_errors(self) -> int:
        """Answers 500 and up: never expected, not even around a crash (a killed server answers nothing)."""
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def figures(self, seconds: float) -> dict[str, Any]:
        return {
            "submissions": self.submitted,
            "acknowledged": len(self.acked),
            "retries": self.retries,
            "timed_out_on_purpose": self.impatient,
            "failures": dict(self.failures),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "replays_answered_200": sum(1 for _pk, status in self.acked.values() if status == 200),
            "duplicates": len(self.duplicates),
            "lost": len(self.lost),
            "seconds": round(seconds, 2),
            "submissions_per_second": round(self.submitted / seconds, 1) if seconds else None,
        }


def keys(prefix: str, clients: int, each: int) -> list[tuple[str, ...]]:
    """Distinct idempotency keys, `each` per client."""
    return [tuple(f"{prefix}-{c}-{n}" for n in range(each)) for c in range(clients)]
