"""Fixtures: a migrated template for the engine under test, fresh instances copied from it, gunicorn servers.

On SQLite an instance is a file in a temporary directory; on PostgreSQL (DATABASE_URL set, as under
scripts/with-postgres.sh) a database of its own, minqing_res_<pid>_<name>, created from the template in the
same cluster and dropped when the session ends.

The figures the tests measure (rates, retries, kills, backup sizes) are written to
test-artifacts/resilience-<engine>.json at the end of the session.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.resilience.harness import ENGINE, PASSWORD, ROOT, USERNAME, Instance, Server

NewInstance = Callable[..., Instance]
Figures = dict[str, dict[str, Any]]
BARE, WITH_ACCOUNT = "template", "template_account"  # migrated; migrated with the clients' account


class SqliteEngine:
    """Instances as SQLite files in a temporary directory; templates are copied with the backup API."""

    name = "sqlite"

    def __init__(self, root: Path) -> None:
        self.root = root

    def environment(self, instance_dir: Path, path: Path) -> dict[str, str]:
        return {**_base_environment(instance_dir), "SQLITE_PATH": str(path)}

    def prepare(self) -> None:
        """Migrate a template once; copy it to a second one with the clients' account."""
        bare = self.new(BARE, template=None)
        bare.manage("migrate", "--noinput")
        add_account(self.new(WITH_ACCOUNT, template=BARE))

    def new(self, name: str, *, template: str | None) -> Instance:
        workdir = _instance_dir(self.root, name)
        path = workdir / "db.sqlite3"
        if template is not None:
            with (
                contextlib.closing(sqlite3.connect(self.root / template / "db.sqlite3")) as source,
                contextlib.closing(sqlite3.connect(path)) as copy,
            ):
                source.backup(copy)
        return Instance(name, workdir, self.environment(workdir, path), sqlite_path=path)

    def close(self) -> None:
        """Nothing to drop: the files go with the temporary directory."""


class PostgresEngine:
    """Instances as databases of their own in the cluster DATABASE_URL points to; all dropped at the end."""

    name = "postgresql"

    def __init__(self, root: Path, url: str) -> None:
        self.root = root
        parts = urlsplit(url)
        self.server = {
            "host": parts.hostname or "127.0.0.1",
            "port": str(parts.port or 5432),
            "user": unquote(parts.username or "postgres"),
            "password": unquote(parts.password or ""),
        }
        self.prefix = f"minqing_res_{os.getpid()}"
        self.created: list[str] = []

    def conninfo(self, database: str) -> str:
        params = {**self.server, "dbname": database}
        return " ".join(f"{key}='{value}'" for key, value in params.items() if value)

    def url(self, database: str) -> str:
        s = self.server
        auth = s["user"] + (f":{s['password']}" if s["password"] else "")
        return f"postgres://{auth}@{s['host']}:{s['port']}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as db:
            db.execute(statement)  # type: ignore[arg-type]  # our own literal SQL

    def _create(self, database: str, template: str) -> None:
        self._admin(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        self.created.append(database)

    def environment(self, instance_dir: Path, database: str) -> dict[str, str]:
        return {**_base_environment(instance_dir), "DATABASE_URL": self.url(database)}

    def prepare(self) -> None:
        """Migrate a template once; copy it to a second one with the clients' account."""
        bare = self.new(BARE, template=None)
        bare.manage("migrate", "--noinput")
        add_account(self.new(WITH_ACCOUNT, template=BARE))

    def new(self, name: str, *, template: str | None) -> Instance:
        database = f"{self.prefix}_{name}"
        self._create(database, f"{self.prefix}_{template}" if template else "template0")
        workdir = _instance_dir(self.root, name)
        return Instance(name, workdir, self.environment(workdir, database), pg_conninfo=self.conninfo(database))

    def close(self) -> None:
        for database in reversed(self.created):
            with contextlib.suppress(Exception):
                self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _instance_dir(root: Path, name: str) -> Path:
    workdir = root / name
    (workdir / "var" / "static").mkdir(parents=True)  # WhiteNoise wants STATIC_ROOT to exist
    return workdir


def _base_environment(instance_dir: Path) -> dict[str, str]:
    """The production settings module with test values; nothing inherited points at another database."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update(
        DJANGO_SETTINGS_MODULE="minqing.settings",
        SECRET_KEY="resilience-tests-only-secret-key-0123456789",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MINQING_VAR_DIR=str(instance_dir / "var"),
        LOG_LEVEL="WARNING",
        RESILIENCE_PASSWORD=PASSWORD,
        PYTHONPATH=str(ROOT),
    )
    return env


def add_account(instance: Instance) -> None:
    """The coordinator account the clients act as, created by our own command."""
    instance.manage("create_account", USERNAME, "--role", "coordinator", "--password-env", "RESILIENCE_PASSWORD")


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteEngine | PostgresEngine]:
    """The engine the suite runs on (PostgreSQL under scripts/with-postgres.sh), with its templates."""
    root = tmp_path_factory.mktemp("resilience")
    chosen = PostgresEngine(root, os.environ["DATABASE_URL"]) if ENGINE == "postgresql" else SqliteEngine(root)
    try:
        chosen.prepare()
        yield chosen
    finally:
        chosen.close()


@pytest.fixture(scope="session")
def new_instance(engine: SqliteEngine | PostgresEngine) -> NewInstance:
    """`new_instance("crash")`: a fresh migrated database with the clients' coordinator account.

    `account=False` leaves it as a new deployment has it; `migrated=False` gives a blank database.
    """
    numbers = count(1)

    def make(name: str, *, account: bool = True, migrated: bool = True) -> Instance:
        template = WITH_ACCOUNT if account else BARE if migrated else None
        return engine.new(f"{name}_{next(numbers)}", template=template)

    return make


@pytest.fixture
def start_server() -> Iterator[Callable[[Instance], Server]]:
    """`start_server(instance)` starts gunicorn on it; every server is stopped when the test ends."""
    servers: list[Server] = []

    def start(instance: Instance, workers: int = 0) -> Server:
        server = Server(instance, workers=workers or server_workers())
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


def server_workers() -> int:
    """Two sync workers on SQLite (one writer at a time anyway), three on PostgreSQL, on this 2-core machine."""
    return 2 if ENGINE == "sqlite" else 3


@pytest.fixture(scope="session")
def figures() -> Iterator[Figures]:
    """What the tests measured, by test; written out when the session ends."""
    found: Figures = {}
    yield found
    if found:
        out = ROOT / "test-artifacts"
        out.mkdir(exist_ok=True)
        path = Path(out / f"resilience-{ENGINE}.json")
        path.write_text(json.dumps({"engine": ENGINE, **found}, indent=2, ensure_ascii=False) + "\n")
