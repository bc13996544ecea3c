"""Restore a file made by `backup` into this instance's database, then verify the audit chain.

Stop the application servers first. The target must be empty (a new instance, migrated or not) unless
--force is given: a restore replaces everything in the database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from core.management.commands.backup import (
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    engine,
    file_magic,
    pg_program,
    read_only_uri,
    run_pg,
    sqlite_check,
    sqlite_copy,
)

# Tables every Minqing database has: a file without them is not one of our backups.
REQUIRED_TABLES = ("django_migrations", "audit_auditevent")


class Command(BaseCommand):
    help = (
        "Restore a backup file into this instance's empty database (or replace its data with --force), "
        "then verify the audit chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A file written by manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data of a database that is not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = engine()
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No backup file at %(file)s.") % {"file": path})
        magic = file_magic(path, len(SQLITE_MAGIC))
        found = "sqlite" if magic == SQLITE_MAGIC else "postgresql" if magic.startswith(PGDUMP_MAGIC) else ""
        if not found:
            raise CommandError(
                _("%(file)s is not a Minqing backup: neither an SQLite database nor a pg_dump custom-format archive.")
                % {"file": path}
            )
        if found != kind:
            raise CommandError(
                _("%(file)s is a backup of a %(found)s database, but this instance uses %(engine)s.")
                % {"file": path, "found": found, "engine": kind}
            )
        if kind == "sqlite":
            self._check_sqlite(path)
        else:
            self._check_postgresql(path)
        held = self._data_held()
        if held and not options["force"]:
            raise CommandError(
                _(
                    "The database already holds data (%(held)s): a restore would replace it. Restore into an empty "
                    "database, or pass --force to replace its data."
                )
                % {"held": held}
            )
        if kind == "sqlite":
            self._restore_sqlite(path)
        else:
            self._restore_postgresql(path)
        connection.close()
        self.stdout.write(_("Restored %(file)s.") % {"file": path})
        if self._pending_migrations():
            self.stdout.write(_("The backup predates this version's schema: run manage.py migrate next."))
        try:
            call_command("verify_audit", stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:
            raise CommandError(_("The restored audit chain does not verify: %(error)s") % {"error": exc}) from None

    @staticmethod
    def _check_sqlite(path: Path) -> None:
        problem = sqlite_check(path)
        if problem:
            raise CommandError(
                _("The backup file %(file)s is damaged: %(problem)s") % {"file": path, "problem": problem}
            )
        db = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            db.close()
        if not set(REQUIRED_TABLES) <= tables:
            raise CommandError(_("%(file)s is an SQLite database but not a Minqing backup.") % {"file": path})

    @staticmethod
    def _check_postgresql(path: Path) -> None:
        listing = run_pg(
            [pg_program("pg_restore"), "--list", str(path)],
            failure=_("The backup file %(file)s is damaged or unreadable:") % {"file": path},
        ).stdout
        data = [line.split() for line in listing.splitlines() if " TABLE DATA " in line]
        if not all(any(table in words for words in data) for table in REQUIRED_TABLES):
            raise CommandError(_("%(file)s is a PostgreSQL archive but not a Minqing backup.") % {"file": path})

    @staticmethod
    def _data_held() -> str:
        """What the target already holds (accounts, matters, audit events), or "" when it is empty."""
        try:
            tables = set(connection.introspection.table_names())
            counts = {}
            for key, label in (
                ("accounts", "auth.User"),
                ("matters", "matters.Matter"),
                ("events", "audit.AuditEvent"),
            ):
                model = apps.get_model(label)
                counts[key] = model._default_manager.count() if model._meta.db_table in tables else 0
        except DatabaseError as exc:
            raise CommandError(_("Cannot read the target database: %(error)s") % {"error": exc}) from None
        if not any(counts.values()):
            return ""
        return _("%(accounts)d accounts, %(matters)d matters, %(events)d audit events") % counts

    @staticmethod
    def _restore_sqlite(path: Path) -> None:
        source = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            connection.close()
            connection.ensure_connection()
            # The backup API replaces the target's pages in one write transaction: all or nothing.
            sqlite_copy(source, connection.connection)
        except (sqlite3.DatabaseError, DatabaseError) as exc:
            raise CommandError(_("The restore failed; nothing was changed: %(error)s") % {"error": exc}) from None
        finally:
            source.close()
            connection.close()

    @staticmethod
    def _restore_postgresql(path: Path) -> None:
        connection.close()  # our own session would hold locks on the tables pg_restore drops
        run_pg(
            [
                pg_program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(path),
            ],
            failure=_("pg_restore failed; nothing was changed:"),
        )

    @staticmethod
    def _pending_migrations() -> bool:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
