"""The database guard that keeps the audit trail append-only (installed by migration 0002_append_only).

Nothing in the application lifts it. `guard_lifted` exists for the two cases where the whole database is
rewritten from outside the application: `manage.py flush` (which empties every table, the test suite's way of
resetting between transactional tests) and tests that play an attacker with database-owner rights to prove
that `verify_audit` detects what they do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

GUARDED_TABLES = ("audit_auditevent", "audit_audithead")


def _sqlite_triggers(connection: BaseDatabaseWrapper) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        placeholders = ", ".join("%s" for _ in GUARDED_TABLES)
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})",  # noqa: S608
            list(GUARDED_TABLES),
        )
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


def guard_installed(using: str = "default") -> bool:
    """Whether the append-only triggers are in place on this database."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        return len(_sqlite_triggers(connection)) >= 3
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
            return bool(cursor.fetchone()[0] >= 2)
    return False


@contextmanager
def guard_lifted(using: str = "default") -> Iterator[None]:
    """Disable the append-only triggers for the block, and put them back whatever happens."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        triggers = _sqlite_triggers(connection)
        with connection.cursor() as cursor:
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for name, sql in triggers:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                    cursor.execute(sql)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for table in GUARDED_TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    else:
        yield
